package io.loadgen.core.internal.engine;

import io.loadgen.core.LoadMode;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Checks, before a closed-loop run starts, that the process may open a file descriptor for each of
 * its connections. Past the limit, connections fail one by one as client errors, and then whatever
 * else needs a descriptor does (a class read from the jar, an export, a scrape): a run that cannot
 * hold its concurrency is refused up front instead, saying what to do.
 *
 * <p>The JVM cannot raise its own soft limit portably; the launcher script raises it to the hard
 * limit before Java starts.
 */
final class OpenFileLimit {
  /**
   * Descriptors a run needs besides its connections and what is open already: per event loop its
   * epoll and wake-up descriptors, the exports, the scrapes' connections.
   */
  static final long HEADROOM = 100;

  /** The process's open-file limit and how many it has open. */
  record Usage(long limit, long open) {}

  private OpenFileLimit() {}

  /** This process's usage, where the platform tells it (Unix); empty elsewhere (Windows). */
  static Optional<Usage> ofThisProcess() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return Optional.of(
          new Usage(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount()));
    }
    return Optional.empty();
  }

  /**
   * @param inProcessServers how many of the targets are simulated servers in this process, which
   *     hold the other end of each of their connections
   * @throws ProfileConfigException naming the concurrency, when its connections (one per request in
   *     flight to each target: each target's pool may grow to the whole concurrency) with what is
   *     open and the headroom exceed the limit
   */
  static void check(Profile profile, int inProcessServers, Optional<Usage> usage) {
    if (usage.isEmpty()
        || usage.get().limit() <= 0
        || profile.workload().inputFilePayload()
        || !(profile.load().mode() instanceof LoadMode.Concurrency c)) {
      // An open loop's connections follow the server's latency, not a setting: nothing to check.
      return;
    }
    int targets = profile.endpoint().urls().size();
    long needed =
        (long) c.concurrency() * (targets + inProcessServers) + usage.get().open() + HEADROOM;
    if (needed > usage.get().limit()) {
      throw new ProfileConfigException(
          "concurrency",
          c.concurrency()
              + (targets > 1 ? " to " + targets + " targets" : "")
              + (inProcessServers > 0
                  ? " (with the embedded simulated server's end of each connection)"
                  : "")
              + " needs about "
              + needed
              + " open files but the limit is "
              + usage.get().limit()
              + ": raise it (ulimit -n "
              + roundUp(needed)
              + ") or lower the concurrency");
    }
  }

  /** The next thousand at or above {@code needed}, a limit one would type. */
  private static long roundUp(long needed) {
    return (needed + 999) / 1000 * 1000;
  }
}
