package io.loadgen.benchmarks;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimOverrides;
import io.loadgen.sim.SimServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The simulated server in a process of its own, for {@link ClientScaleHarness}'s separate mode: an
 * engine sized to hold every stream at once, optionally recording its {@link ServerSchedule}.
 * Prints {@code port N} once listening; then each {@code dump FILE} line on stdin writes the
 * schedule and answers {@code dumped}. Exits when stdin closes.
 *
 * <pre>
 * java -cp benchmarks.jar io.loadgen.benchmarks.SimProcess STREAMS STEP_MILLIS PROMPT_TOKENS OUTPUT_TOKENS record|norecord [IO_THREADS]
 * </pre>
 */
public final class SimProcess {
  private SimProcess() {}

  /** An engine that admits and holds every stream at once, so the load is exactly the streams. */
  static SimOverrides engineFor(
      int streams, double stepMillis, int promptTokens, int outputTokens) {
    long blocks = (long) streams * ((promptTokens + outputTokens + 15) / 16) + 100;
    return new SimOverrides(
        null,
        null,
        null,
        null,
        blocks,
        streams,
        streams * (promptTokens + 1),
        0.0,
        stepMillis,
        null,
        null,
        null);
  }

  public static void main(String[] args) throws Exception {
    int streams = Integer.parseInt(args[0]);
    double stepMillis = Double.parseDouble(args[1]);
    int promptTokens = Integer.parseInt(args[2]);
    int outputTokens = Integer.parseInt(args[3]);
    ServerSchedule schedule = args[4].equals("record") ? new ServerSchedule(outputTokens) : null;
    int ioThreads = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    SimConfig.Builder config =
        SimConfig.preset("default")
            .host("127.0.0.1")
            .port(0)
            .ioThreads(ioThreads)
            .overrides(engineFor(streams, stepMillis, promptTokens, outputTokens));
    if (schedule != null) {
      config.tokenSendListener(schedule);
    }
    try (SimServer server = SimServer.start(config.build());
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println("port " + server.port());
      System.out.flush();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("dump ") && schedule != null) {
          schedule.writeTo(Path.of(line.substring(5)));
          System.out.println("dumped");
          System.out.flush();
        }
      }
    }
  }
}
