package io.loadgen.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.LoadMode;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenFileLimitTest {
  private static Profile.Builder profile() {
    return Profile.builder().url("127.0.0.1:9").model("m");
  }

  private static Optional<OpenFileLimit.Usage> limit(long limit, long open) {
    return Optional.of(new OpenFileLimit.Usage(limit, open));
  }

  @Test
  void refusesAConcurrencyTheOpenFileLimitCannotHoldSayingWhatToDo() {
    ProfileConfigException e =
        assertThrows(
            ProfileConfigException.class,
            () -> OpenFileLimit.check(profile().concurrency(20_000).build(), 0, limit(1024, 0)));
    assertEquals("concurrency", e.setting());
    assertEquals(
        "20000 needs about 20100 open files but the limit is 1024: raise it (ulimit -n 21000) or"
            + " lower the concurrency",
        e.problem());
  }

  @Test
  void countsEachTargetsConnectionsAndWhatIsOpenAlready() {
    Profile replicas =
        profile().urls(List.of("127.0.0.1:9", "127.0.0.1:10")).concurrency(400).build();
    ProfileConfigException e =
        assertThrows(
            ProfileConfigException.class, () -> OpenFileLimit.check(replicas, 0, limit(1000, 150)));
    assertEquals(
        "400 to 2 targets needs about 1050 open files but the limit is 1000: raise it (ulimit -n"
            + " 2000) or lower the concurrency",
        e.problem());
    // 50 fewer open, and it fits exactly.
    OpenFileLimit.check(replicas, 0, limit(1000, 100));
    // An embedded simulated server holds the other end of each of its connections.
    ProfileConfigException sim =
        assertThrows(
            ProfileConfigException.class,
            () -> OpenFileLimit.check(profile().concurrency(150).build(), 1, limit(300, 19)));
    assertEquals(
        "150 (with the embedded simulated server's end of each connection) needs about 419 open"
            + " files but the limit is 300: raise it (ulimit -n 1000) or lower the concurrency",
        sim.problem());
  }

  @Test
  void letsAnOpenLoopAndAPlatformWithoutALimitThrough() {
    OpenFileLimit.check(
        profile().requestRate(10, LoadMode.Arrivals.CONSTANT).build(), 0, limit(16, 10));
    OpenFileLimit.check(profile().concurrency(100_000).build(), 0, Optional.empty());
  }

  @Test
  void readsThisProcesssLimitWhereThePlatformTellsIt() {
    Optional<OpenFileLimit.Usage> usage = OpenFileLimit.ofThisProcess();
    if (usage.isPresent()) {
      assertTrue(
          usage.get().limit() >= usage.get().open() && usage.get().open() > 0, usage.toString());
    }
  }
}
