package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TargetUrlTest {

  @Test
  void aPortOutOfRangeIsAConfigErrorNamingItNotAnErrorOfTheSocketLater() {
    for (String url :
        new String[] {"localhost:99999", "http://localhost:65536/v1", "localhost:0"}) {
      ProfileConfigException e =
          assertThrows(ProfileConfigException.class, () -> TargetUrl.parse(url));
      assertEquals("url", e.setting(), "the API names its setting; the CLI names -u/--url");
      assertTrue(
          e.getMessage().contains("'" + url + "': port ")
              && e.getMessage().endsWith("use 1 to 65535"),
          e.getMessage());
    }
  }

  @Test
  void theWholeRangeOfPortsAndNoPortAreAccepted() {
    assertEquals("http://localhost:1", TargetUrl.parse("localhost:1").toString());
    assertEquals("http://localhost:65535", TargetUrl.parse("localhost:65535").toString());
    assertEquals(
        "https://api.example.test", TargetUrl.parse("https://api.example.test").toString());
  }

  @Test
  void aColonWithoutAPortIsAConfigErrorRatherThanPort80() {
    for (String url : new String[] {"localhost:", "http://localhost:/v1", "[::1]:"}) {
      ProfileConfigException e =
          assertThrows(ProfileConfigException.class, () -> TargetUrl.parse(url));
      assertEquals("url", e.setting());
      assertEquals(
          "'" + url + "' has no port after the colon; give one from 1 to 65535", e.problem());
    }
    assertEquals("http://[::1]:8000", TargetUrl.parse("[::1]:8000").toString());
  }
}
