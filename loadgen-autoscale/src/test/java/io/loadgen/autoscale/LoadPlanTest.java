package io.loadgen.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadPlanTest {
  @Test
  void readsConcurrenciesAndRatesWithTheirDurations() {
    LoadPlan plan = LoadPlan.parse("10@5m,rate:2.5@90s,200@1h");
    assertEquals(
        List.of(
            new LoadPlan.Phase(false, 10, Duration.ofMinutes(5)),
            new LoadPlan.Phase(true, 2.5, Duration.ofSeconds(90)),
            new LoadPlan.Phase(false, 200, Duration.ofHours(1))),
        plan.phases());
    assertEquals(Duration.ofSeconds(300 + 90 + 3600), plan.duration());
  }

  @Test
  void namesThePartItCannotRead() {
    for (String[] bad :
        new String[][] {
          {"10@5m,x@5m", "'x' is not a number"},
          {"10", "is not LEVEL@DURATION"},
          {"10@5 minutes", "is not a duration"},
          {"10.5@5m", "a whole number of users"},
          {"0@5m", "must be positive"}
        }) {
      AutoscaleException e = assertThrows(AutoscaleException.class, () -> LoadPlan.parse(bad[0]));
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
  }

  @Test
  void readsCalibrationPointsAndRefusesAGaugeOutOfRange() {
    assertEquals(2, KvCalibration.parsePoints("100:0.094,200:0.208").size());
    assertThrows(AutoscaleException.class, () -> KvCalibration.parsePoints("100:9.4"));
    assertThrows(AutoscaleException.class, () -> KvCalibration.parsePoints("100"));
  }
}
