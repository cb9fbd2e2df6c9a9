package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.ProfileConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtraInputsTest {

  private static Object value(String keyColonValue) {
    return ExtraInputs.parse(keyColonValue).getValue();
  }

  @Test
  void infersTheJsonTypeOfExtraInputsAsGenaiPerfDoes() {
    assertEquals(200L, value("max_tokens:200"));
    assertEquals(Boolean.TRUE, value("ignore_eos:true"));
    assertEquals(0.7, value("temperature:0.7"));
    assertEquals("END", value("stop:END"));
    assertEquals(Map.of("include_usage", true), value("stream_options:{\"include_usage\":true}"));
    assertEquals(List.of(1, 2), value("logit_bias:[1,2]"));
    assertEquals(0.001, value("ratio:1e-3"));
    assertEquals("max_tokens", ExtraInputs.parse(" max_tokens : 5").getKey());
  }

  @Test
  void rejectsExtraInputsWithoutAKeyOrWithBrokenJson() {
    ProfileConfigException e =
        assertThrows(ProfileConfigException.class, () -> ExtraInputs.parse("max_tokens"));
    assertTrue(e.getMessage().contains("key:value"), e.getMessage());
    e = assertThrows(ProfileConfigException.class, () -> ExtraInputs.parse("stop:[1,"));
    assertTrue(e.getMessage().contains("--extra-inputs stop"), e.getMessage());
  }
}
