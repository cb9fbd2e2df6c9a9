package io.loadgen.cli;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
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

  static Target resolve(String url, String tokenizerSpec, long seed) {
    if (!url.startsWith(SIM_SCHEME)) {
      return new Target(url, null, null);
    }
    String preset = url.substring(SIM_SCHEME.length()).replaceFirst("/+$", "");
    SimConfig.Builder config = SimConfig.preset(preset.isEmpty() ? "default" : preset);
    // The simulated server counts prompt tokens with the profile's tokenizer, as a real server
    // counts them with its model's, so its usage and the client's figures agree.
    Tokenizer tokenizer = Tokenizer.load(tokenizerSpec);
    try {
      SimServer server = SimServer.start(config.seed(seed).promptTokenCounter(tokenizer::count).build());
      return new Target(server.baseUri().toString(), server, tokenizer);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
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
