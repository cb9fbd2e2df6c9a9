package io.loadgen.cli;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The servers a profile runs against, and the tokenizer every level of the profile counts with,
 * loaded once: each URL as given, or, for {@code sim://PRESET}, an embedded simulated server
 * started in this process for the run and closed after it (one per {@code sim://} URL, each with an
 * engine of its own).
 *
 * <p>Both are made on threads of their own from the moment the command starts, while the command
 * goes on building its profile: loading the tokenizer's native library and starting a simulated
 * server take most of a second of a short run, and need not wait for each other or for it.
 */
final class Target implements AutoCloseable {
  private static final String SIM_SCHEME = "sim://";

  /** Per URL: the URL as given, or null where a simulated server stands. */
  private final List<String> given;
  private final List<CompletableFuture<SimServer>> servers;
  private final CompletableFuture<Tokenizer> tokenizer;

  private Target(List<String> given, List<CompletableFuture<SimServer>> servers,
      CompletableFuture<Tokenizer> tokenizer) {
    this.given = given;
    this.servers = servers;
    this.tokenizer = tokenizer;
  }

  /**
   * Starts resolving the targets and loading the tokenizer, and returns at once; {@link #urls()}
   * and {@link #tokenizer()} wait for them.
   *
   * @throws IllegalArgumentException for an unknown simulator preset
   */
  static Target resolve(List<String> urls, String tokenizerSpec, String tokenizerRevision, long seed) {
    List<SimConfig.Builder> configs = new ArrayList<>();
    for (String url : urls) {
      if (url.startsWith(SIM_SCHEME)) {
        String preset = url.substring(SIM_SCHEME.length()).replaceFirst("/+$", "");
        configs.add(SimConfig.preset(preset.isEmpty() ? "default" : preset));
      } else {
        configs.add(null);
      }
    }
    CompletableFuture<Tokenizer> tokenizer =
        CompletableFuture.supplyAsync(() -> Tokenizer.load(tokenizerSpec, tokenizerRevision));
    List<String> given = new ArrayList<>();
    List<CompletableFuture<SimServer>> servers = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      SimConfig.Builder config = configs.get(i);
      if (config == null) {
        given.add(urls.get(i));
        servers.add(null);
        continue;
      }
      // A simulated server counts prompt tokens with the profile's tokenizer, as a real server counts
      // them with its model's, so its usage and the client's figures agree; it asks for it only when
      // the first request comes. Its own warm-up is left out: the client's, in this JVM, loads the
      // HTTP classes both sides use, and the server warms its engine and formats offline.
      SimConfig built = config.seed(seed).promptTokenCounter(text -> join(tokenizer).count(text)).warmUp(false)
          .build();
      given.add(null);
      servers.add(CompletableFuture.supplyAsync(() -> SimServer.start(built)));
    }
    return new Target(given, servers, tokenizer);
  }

  /** The URLs to profile: as given, or each embedded server's once it listens. */
  List<String> urls() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      urls.add(given.get(i) != null ? given.get(i) : join(servers.get(i)).baseUri().toString());
    }
    return urls;
  }

  /** The profile's tokenizer, for every level's run; this target closes it. */
  Tokenizer tokenizer() {
    return join(tokenizer);
  }

  @Override
  public void close() {
    try {
      for (CompletableFuture<SimServer> server : servers) {
        if (server != null) {
          SimServer started = server.handle((s, e) -> s).join();
          if (started != null) {
            started.close();
          }
        }
      }
    } finally {
      Tokenizer loaded = tokenizer.handle((t, e) -> t).join();
      if (loaded != null) {
        loaded.close();
      }
    }
  }

  /** Waits for {@code future}, rethrowing its failure as it was thrown. */
  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
