package io.loadgen.core.internal.engine;

import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunHandle;
import io.loadgen.core.RunOptions;
import io.loadgen.core.TargetUnreachableException;
import io.loadgen.core.internal.client.Transports;
import io.loadgen.core.internal.engine.LoadEngine.EngineTotals;
import io.loadgen.core.internal.metrics.Scraper;
import io.loadgen.tokenizer.Tokenizer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Wires a run together: tokenizer, dataset, Vert.x, HTTP client, engine and recorder. */
public final class Runs {
  /** Connections an open-loop run may hold at once; beyond this, sends queue (and it shows). */
  static final int OPEN_LOOP_MAX_CONNECTIONS = 10_000;

  private static final int PREFLIGHT_TIMEOUT_MILLIS = 5_000;

  private Runs() {}

  /**
   * Prepares the run (dataset, a check that every target accepts connections) on the calling
   * thread, then starts it on its event loops and returns at once.
   *
   * @param profile a profile whose targets are all HTTP servers (see {@link Session#resolve})
   * @param options with the tokenizer to count with, which the caller keeps
   */
  public static RunHandle start(Profile profile, RunOptions options) {
    return start(profile, options, 0, new StartGate());
  }

  /**
   * As {@link #start(Profile, RunOptions)}, as level {@code level} of a sweep (see {@link
   * Dataset#of}); once prepared, the run waits at {@code gate} for the profile's start instant, if
   * it has one.
   */
  public static RunHandle start(Profile profile, RunOptions options, int level, StartGate gate) {
    Tokenizer tokenizer = java.util.Objects.requireNonNull(options.tokenizer(), "tokenizer");
    Vertx vertx = null;
    try {
      int loops = profile.effectiveEventLoops();
      vertx = Transports.vertx(profile.load().transport(), loops);
      // The client's warm-up runs on its event loops while this thread makes the prompts.
      Vertx warming = vertx;
      CompletableFuture<Void> warmUp =
          CompletableFuture.runAsync(() -> ClientWarmUp.run(warming, tokenizer));
      Dataset dataset;
      try {
        dataset = Dataset.of(profile, tokenizer, level);
        profile.endpoint().urls().forEach(Runs::preflight);
      } finally {
        warmUp.join();
      }
      // A context per event loop, each on a loop of its own, and a client per context: a loop's
      // connections are made, read and written on its thread alone.
      List<ContextInternal> contexts = new ArrayList<>();
      List<HttpClientAgent> clients = new ArrayList<>();
      VertxInternal internal = (VertxInternal) vertx;
      for (io.netty.util.concurrent.EventExecutor loop : internal.nettyEventLoopGroup()) {
        if (contexts.size() == loops) {
          break;
        }
        contexts.add(
            internal.contextBuilder().withEventLoop((io.netty.channel.EventLoop) loop).build());
        clients.add(vertx.createHttpClient(clientOptions(profile), poolOptions(profile, loops)));
      }
      // Everything is ready but the load: pods that were told one instant start it together.
      gate.await(profile.load().startAt(), options.wallClock(), options.warningListener());
      Instant now = options.wallClock().instant();
      long originEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
      Recording recording =
          new Recording(profile, options, loops, originEpochNanos, System.nanoTime());
      LoadEngine engine =
          new LoadEngine(
              profile,
              contexts,
              clients,
              profile.endpoint().urls().stream().map(url -> requestOptions(profile, url)).toList(),
              dataset,
              recording);
      Vertx owned = vertx;
      // The scraper brings its own Vert.x: none of this one's loops, which time tokens, reads a
      // page.
      Scraper scraper =
          profile.scrape().interval() == null
              ? null
              : new Scraper(profile, engine, recording.scrubber());
      if (scraper != null) {
        recording.readKvCacheUsageFrom(scraper::latestKvCacheUsage);
      }
      CompletableFuture<EngineTotals> engineDone = engine.start();
      if (scraper != null) {
        scraper.start();
      }
      CompletableFuture<ProfileResult> result =
          engineDone
              .thenCompose(recording::finish)
              .<ProfileResult>thenCompose(
                  r ->
                      scraper == null
                          ? CompletableFuture.completedFuture(r)
                          : scraper.stop().thenApply(r::withServerMetrics))
              .thenApply(Runs::failIfAborted)
              .whenComplete(
                  (r, e) -> {
                    clients.forEach(HttpClientAgent::close);
                    owned.close();
                    if (e != null && scraper != null) {
                      // Its Vert.x is its own: a failed run closes it here, or it would linger.
                      scraper.stop();
                    }
                  });
      return new StartedRun(result, engine::stop);
    } catch (RuntimeException e) {
      if (vertx != null) {
        vertx.close();
      }
      throw e;
    }
  }

  /**
   * The result of a run that finished; for one the engine stopped because the target cannot be
   * profiled, a {@link TargetUnreachableException} that carries it, so that its failures are still
   * exported.
   */
  static ProfileResult failIfAborted(ProfileResult result) {
    if (result.summary().aborted()) {
      throw new TargetUnreachableException(result.summary().abortReason(), result);
    }
    return result;
  }

  /**
   * Fails fast, before any load, when nothing listens at the target: one clear line beats a run of
   * identical connection errors.
   */
  static void preflight(URI url) {
    int port = port(url);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), port), PREFLIGHT_TIMEOUT_MILLIS);
    } catch (UnknownHostException e) {
      throw new TargetUnreachableException(
          "cannot resolve host '" + url.getHost() + "' of " + url + ": check the URL", e);
    } catch (ConnectException e) {
      throw new TargetUnreachableException(
          "connection refused at "
              + url.getHost()
              + ":"
              + port
              + ": is the server running? check the URL",
          e);
    } catch (SocketTimeoutException e) {
      throw new TargetUnreachableException(
          "no answer from "
              + url.getHost()
              + ":"
              + port
              + " within "
              + PREFLIGHT_TIMEOUT_MILLIS / 1000
              + " s: check the URL and that the server is reachable from here",
          e);
    } catch (IOException e) {
      throw new TargetUnreachableException(
          "cannot connect to "
              + url.getHost()
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "): check the URL",
          e);
    }
  }

  private static int port(URI url) {
    if (url.getPort() > 0) {
      return url.getPort();
    }
    return "https".equals(url.getScheme()) ? 443 : 80;
  }

  private static HttpClientOptions clientOptions(Profile profile) {
    URI url = profile.endpoint().url();
    HttpClientOptions options =
        new HttpClientOptions()
            .setDefaultHost(url.getHost())
            .setDefaultPort(port(url))
            .setSsl("https".equals(url.getScheme()))
            .setKeepAlive(true)
            .setPipelining(false)
            .setTcpNoDelay(true)
            .setConnectTimeout(10_000);
    return options;
  }

  /** One loop's pool: its share of the closed loop's concurrency, or of the open loop's cap. */
  private static PoolOptions poolOptions(Profile profile, int loops) {
    int limit =
        profile.workload().inputFilePayload()
            ? Integer.MAX_VALUE
            : profile.load().mode().inFlightLimit();
    int size =
        limit != Integer.MAX_VALUE
            ? (limit + loops - 1) / loops
            : Math.max(1, OPEN_LOOP_MAX_CONNECTIONS / loops);
    return new PoolOptions().setHttp1MaxSize(size).setMaxWaitQueueSize(-1);
  }

  private static RequestOptions requestOptions(Profile profile, URI url) {
    String basePath = url.getPath() == null ? "" : url.getPath();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set("content-type", "application/json");
    headers.set(
        "accept", profile.endpoint().streaming() ? "text/event-stream" : "application/json");
    if (profile.endpoint().apiKey() != null) {
      headers.set("authorization", "Bearer " + profile.endpoint().apiKey());
    }
    profile.endpoint().headers().forEach(headers::set);
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(url.getHost())
        .setPort(port(url))
        .setSsl("https".equals(url.getScheme()))
        .setURI(basePath + "/" + profile.endpoint().path())
        .setHeaders(headers);
  }
}
