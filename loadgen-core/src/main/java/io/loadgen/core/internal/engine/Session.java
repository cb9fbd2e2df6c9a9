package io.loadgen.core.internal.engine;

import io.loadgen.core.LoadgenException;
import io.loadgen.core.Profile;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.Tokenizer;
import io.loadgen.tokenizer.TokenizerException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What one run, or every level of a sweep, shares: the tokenizer, loaded once, and an embedded
 * simulated server for each {@code sim://PRESET} target (each with an engine of its own), started
 * for the session and closed after it.
 *
 * <p>Both are made on threads of their own from the moment the session opens: loading the
 * tokenizer's native library and starting a simulated server take most of a second of a short run,
 * and need not wait for each other.
 */
public final class Session implements AutoCloseable {
  private static final String SIM_SCHEME = "sim";

  private final CompletableFuture<Tokenizer> tokenizer;
  private final boolean ownsTokenizer;

  /** Per target of the profile: null where it is a real server. */
  private final List<CompletableFuture<SimServer>> simulators = new ArrayList<>();

  private final List<URI> targets;

  private Session(Profile profile, Tokenizer borrowed) {
    this.ownsTokenizer = borrowed == null;
    this.tokenizer =
        borrowed != null
            ? CompletableFuture.completedFuture(borrowed)
            : CompletableFuture.supplyAsync(() -> load(profile));
    this.targets = profile.endpoint().urls();
    for (URI url : targets) {
      if (!SIM_SCHEME.equals(url.getScheme())) {
        simulators.add(null);
        continue;
      }
      // A simulated server counts prompt tokens with the profile's tokenizer, as a real server
      // counts
      // them with its model's, so its usage and the client's figures agree; it asks for it only
      // when
      // the first request comes. Its own warm-up is left out: the client's, in this JVM, loads the
      // HTTP classes both sides use.
      SimConfig config =
          SimConfig.preset(url.getHost())
              .seed(profile.workload().randomSeed())
              .promptTokenCounter(text -> join(tokenizer).count(text))
              .warmUp(false)
              .build();
      simulators.add(CompletableFuture.supplyAsync(() -> SimServer.start(config)));
    }
  }

  /**
   * Starts loading the profile's tokenizer (unless {@code borrowed} is given, which the caller
   * keeps) and starting its simulated targets, and returns at once.
   */
  public static Session open(Profile profile, Tokenizer borrowed) {
    return new Session(profile, borrowed);
  }

  /**
   * The tokenizer, once loaded.
   *
   * @throws LoadgenException with the {@link TokenizerException} as its cause when it does not load
   */
  public Tokenizer tokenizer() {
    return join(tokenizer);
  }

  /**
   * {@code profile}, whose targets are the session's, with each {@code sim://} target replaced by
   * its simulated server's URL once it listens.
   *
   * @throws io.loadgen.core.ProfileConfigException when the process's open-file limit cannot hold
   *     the profile's concurrency (see {@link OpenFileLimit})
   */
  public Profile resolve(Profile profile) {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      CompletableFuture<SimServer> simulator = simulators.get(i);
      urls.add(
          simulator == null ? targets.get(i).toString() : join(simulator).baseUri().toString());
    }
    Profile resolved = profile.toBuilder().urls(urls).build();
    OpenFileLimit.check(
        resolved,
        (int) simulators.stream().filter(java.util.Objects::nonNull).count(),
        OpenFileLimit.ofThisProcess());
    return resolved;
  }

  @Override
  public void close() {
    try {
      for (CompletableFuture<SimServer> simulator : simulators) {
        SimServer started = simulator == null ? null : simulator.handle((s, e) -> s).join();
        if (started != null) {
          started.close();
        }
      }
    } finally {
      Tokenizer loaded = ownsTokenizer ? tokenizer.handle((t, e) -> t).join() : null;
      if (loaded != null) {
        loaded.close();
      }
    }
  }

  private static Tokenizer load(Profile profile) {
    try {
      return Tokenizer.load(profile.workload().tokenizer(), profile.workload().tokenizerRevision());
    } catch (TokenizerException e) {
      throw new LoadgenException(e.getMessage(), e);
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
