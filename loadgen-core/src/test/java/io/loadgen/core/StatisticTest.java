package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatisticTest {

  @Test
  void eachStatisticIsFoundByTheNameGenaiPerfExportsItUnder() {
    for (Statistic statistic : Statistic.values()) {
      assertEquals(statistic, Statistic.fromKey(statistic.key()));
    }
    assertEquals("p99", Statistic.P99.key());
  }

  @Test
  void anUnknownNameIsAConfigErrorThatListsTheKnownOnes() {
    ProfileConfigException e =
        assertThrows(ProfileConfigException.class, () -> Statistic.fromKey("p98"));
    assertEquals("statistic", e.setting());
    assertTrue(
        e.getMessage().contains("'p98' is not one of avg") && !e.getMessage().contains("\n"),
        e.getMessage());
  }
}
