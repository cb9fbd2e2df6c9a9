package io.loadgen.cli;

import io.loadgen.core.LoadGenerator;
import io.loadgen.core.Profile;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;

/**
 * The server a profile runs against: the URL as given, or, for {@code sim://PRESET}, the embedded
 * simulated server started in this process for the run and closed after it.
 */
final class Target implements AutoCloseable {
  private static final String SIM_SCHEME = "sim://";

  private final String url;
  private final SimServer server;
  private final Tokenizer tokenizer;

  private Target(String url, SimServer server, Tokenizer tokenizer) {
    this.url = url;
    this.server = server;
    this.tokenizer = tokenizer;
  }

  static Target resolve(String url, String tokenizerSpec, String tokenizerRevision, long seed) {
    if (!url.startsWith(SIM_SCHEME)) {
      return new Target(url, null, null);
    }
    String preset = url.substring(SIM_SCHEME.length()).replaceFirst("/+$", "");
    SimConfig.Builder config = SimConfig.preset(preset.isEmpty() ? "default" : preset);
    // The simulated server counts prompt tokens with the profile's tokenizer, as a real server
    // counts them with its model's, so its usage and the client's figures agree.
    Tokenizer tokenizer = Tokenizer.load(tokenizerSpec, tokenizerRevision);
    try {
      SimServer server = SimServer.start(config.seed(seed).promptTokenCounter(tokenizer::count).build());
      warmUp(server);
      return new Target(server.baseUri().toString(), server, tokenizer);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /**
   * A short throwaway run against the embedded server before the profile. Server and client share
   * this JVM, so without it the first requests' TTFT would carry both sides' just-in-time compilation
   * (about a hundred milliseconds), which no warm production server shows.
   */
  static void warmUp(SimServer server) {
    LoadGenerator.run(Profile.builder()
        .url(server.baseUri())
        .model("loadgen-warm-up")
        .streaming(true)
        .concurrency(8)
        .requestCount(64)
        .numDatasetEntries(8)
        .inputTokens(new TokenLengthDistribution(64, 0))
        .outputTokens(new TokenLengthDistribution(4, 0))
        .extraInput("ignore_eos", true)
        .build());
  }

  String url() {
    return url;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    if (tokenizer != null) {
      tokenizer.close();
    }
  }
}
