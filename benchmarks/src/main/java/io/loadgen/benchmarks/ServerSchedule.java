package io.loadgen.benchmarks;

import io.loadgen.sim.TokenSendListener;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated server's ground truth for each token: when its engine step scheduled it and when it
 * was written to the socket, keyed by the request's prompt (the harness sends a distinct prompt per
 * request, which ties a client record to a server request). Written to a file so that a server in
 * another process can hand it to the harness: both read {@link System#nanoTime()}, which on Linux
 * is CLOCK_MONOTONIC, one clock for every process on the machine.
 */
final class ServerSchedule implements TokenSendListener {
  private final int tokens;
  private final Map<String, long[][]> byPrompt = new ConcurrentHashMap<>();
  private final Map<Long, long[][]> byId = new ConcurrentHashMap<>();

  /**
   * @param tokens the output tokens of every request
   */
  ServerSchedule(int tokens) {
    this.tokens = tokens;
  }

  @Override
  public void onRequestAccepted(long requestId, String prompt) {
    long[][] times = {new long[tokens], new long[tokens]};
    byPrompt.put(prompt, times);
    byId.put(requestId, times);
  }

  @Override
  public void onTokenSent(long requestId, int tokenIndex, long scheduledNanos, long sentNanos) {
    long[][] times = byId.get(requestId);
    if (times != null && tokenIndex < tokens) {
      times[0][tokenIndex] = scheduledNanos;
      times[1][tokenIndex] = sentNanos;
    }
  }

  /** The scheduled times ([0]) and write times ([1]) of the request with this prompt, or null. */
  long[][] forPrompt(String prompt) {
    return byPrompt.get(prompt);
  }

  void writeTo(Path file) throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(tokens);
      out.writeInt(byPrompt.size());
      for (Map.Entry<String, long[][]> entry : byPrompt.entrySet()) {
        out.writeUTF(entry.getKey());
        for (long[] row : entry.getValue()) {
          for (long t : row) {
            out.writeLong(t);
          }
        }
      }
    }
  }

  static ServerSchedule readFrom(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      ServerSchedule schedule = new ServerSchedule(in.readInt());
      int requests = in.readInt();
      for (int r = 0; r < requests; r++) {
        String prompt = in.readUTF();
        long[][] times = {new long[schedule.tokens], new long[schedule.tokens]};
        for (long[] row : times) {
          for (int k = 0; k < row.length; k++) {
            row[k] = in.readLong();
          }
        }
        schedule.byPrompt.put(prompt, times);
      }
      return schedule;
    }
  }
}
