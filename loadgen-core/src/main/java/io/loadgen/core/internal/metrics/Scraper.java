package io.loadgen.core.internal.metrics;

import io.loadgen.core.Profile;
import io.loadgen.core.ServerMetrics;
import io.loadgen.core.ServerSample;
import io.loadgen.core.internal.client.ErrorKinds;
import io.loadgen.core.internal.secret.SecretScrubber;
import io.loadgen.core.internal.time.NanoClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Scrapes the server's Prometheus endpoints every {@link io.loadgen.core.Scrape#interval()} during
 * a run. Nothing of it runs on the client's event loops, which time the tokens: the requests go out
 * and the pages are read on a Vert.x of the scraper's own (one event loop), one at a time per
 * endpoint over a connection of their own, and pages are parsed on a thread of their own. A page of
 * megabytes, read or parsed, so delays the next scrape and never a token's timestamp. An endpoint
 * that fails, hangs or answers garbage is noted in {@link ServerMetrics#problems()} and the run
 * goes on. With no endpoint given, the target's {@code /metrics} and then {@code /v1/metrics} are
 * tried, and silently dropped if neither answers.
 */
public final class Scraper {
  /** The client's state, read on the scraper's own event loop when a page arrives. */
  public interface ClientState {
    int inFlight();

    long sent();

    long responses();
  }

  /** The scraper's own, closed when it stops: a page is never read on a loop that times tokens. */
  private final Vertx vertx;

  private final Context context;
  private final Profile profile;
  private final ClientState state;
  private final NanoClock clock;
  private final HttpClient http;
  private final ExecutorService parser;
  private final Function<byte[], PrometheusText.Parsed> parse;
  private final List<Endpoint> endpoints = new ArrayList<>();

  /**
   * The largest /metrics page read: a vLLM or NIM page is tens of KiB; one of tens of MiB (a
   * histogram per request ID, say) would cost the client more than it tells.
   */
  static final int MAX_PAGE_BYTES = 8 << 20;

  private final boolean automatic;
  private long originNanos;
  private long timerId = -1;
  private String kvMetric;
  private boolean stopped;

  /** Set by the first {@link #stop()}. */
  private CompletableFuture<ServerMetrics> done;

  private final SecretScrubber scrubber;

  /**
   * @param state read from the scraper's own thread, so it must be safe to read from any thread
   */
  public Scraper(Profile profile, ClientState state, SecretScrubber scrubber) {
    this(profile, state, scrubber, PrometheusText::parse);
  }

  /** As above, parsing pages with {@code parse} (a test sees on which thread it runs). */
  Scraper(
      Profile profile,
      ClientState state,
      SecretScrubber scrubber,
      Function<byte[], PrometheusText.Parsed> parse) {
    // NIO is enough here; one loop, one worker: the scraper makes a request a second per endpoint.
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
    this.context = vertx.getOrCreateContext();
    this.parse = parse;
    this.profile = profile;
    this.state = state;
    this.clock = NanoClock.system();
    this.scrubber = scrubber;
    this.automatic = profile.scrape().urls().isEmpty();
    // By default each target's own /metrics: one endpoint per replica.
    List<URI> urls =
        automatic
            ? profile.endpoint().urls().stream()
                .map(url -> url.resolve(stripSlash(url) + "/metrics"))
                .toList()
            : profile.scrape().urls();
    urls.forEach(url -> endpoints.add(new Endpoint(url)));
    long timeout = Math.max(100, profile.scrape().interval().toMillis());
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) timeout)
                .setIdleTimeout(0),
            new PoolOptions().setHttp1MaxSize(Math.max(1, urls.size())));
    this.parser =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "loadgen-server-metrics");
              t.setDaemon(true);
              return t;
            });
  }

  private static String stripSlash(URI url) {
    String path = url.getPath() == null ? "" : url.getPath();
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Starts scraping; offsets count from now. */
  public void start() {
    context.runOnContext(
        v -> {
          originNanos = clock.nanoTime();
          scrapeAll();
          timerId = vertx.setPeriodic(profile.scrape().interval().toMillis(), id -> scrapeAll());
        });
  }

  /**
   * Stops scraping and completes with what was scraped, once the pages in hand are parsed and the
   * scraper's Vert.x is closed. Idempotent: a run that fails stops it too, and its threads must not
   * outlive the run.
   */
  public synchronized CompletableFuture<ServerMetrics> stop() {
    if (done != null) {
      return done;
    }
    done = new CompletableFuture<>();
    CompletableFuture<ServerMetrics> stopping = done;
    context.runOnContext(
        v -> {
          if (timerId >= 0) {
            vertx.cancelTimer(timerId);
          }
          // A scrape cut short by the end of the run is not the endpoint's fault.
          stopped = true;
          endpoints.forEach(Endpoint::abandon);
          http.close();
          parser.execute(
              () -> {
                ServerMetrics metrics = result();
                vertx.close().onComplete(closed -> stopping.complete(metrics));
              });
          parser.shutdown();
        });
    return stopping;
  }

  private void scrapeAll() {
    long now = clock.nanoTime();
    for (Endpoint endpoint : endpoints) {
      endpoint.scrape(now);
    }
  }

  /** Builds the result; runs on the parser thread, which owns the samples. */
  private ServerMetrics result() {
    List<ServerMetrics.Replica> replicas = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      synchronized (endpoint) {
        if (automatic && endpoint.samples.isEmpty()) {
          // A target with no page there (404, nothing listening) is left quietly; one that
          // answered and gave nothing usable (garbage, errors, no answer in time) is said once,
          // each problem under the path it came from (/metrics, then /v1/metrics).
          List<String> parts = new ArrayList<>();
          endpoint.problems.forEach(
              (url, messages) ->
                  parts.add(
                      url
                          + (parts.isEmpty() ? ": no server metrics were read: " : ": ")
                          + String.join("; ", messages.keySet())));
          if (!parts.isEmpty()) {
            problems.add(String.join("; ", parts));
          }
          continue;
        }
        endpoint.problems.forEach(
            (url, messages) ->
                messages.forEach(
                    (problem, count) ->
                        problems.add(
                            url + ": " + problem + (count > 1 ? " (" + count + " times)" : ""))));
      }
      replicas.add(new ServerMetrics.Replica(endpoint.url.toString(), endpoint.samples));
    }
    if (kvMetric == null) {
      for (Endpoint endpoint : endpoints) {
        // A DCGM exporter's page has no KV cache to show; a server's page without one is said.
        if (endpoint.seenFamilies != null
            && endpoint.samples.stream().allMatch(s -> s.gpus().isEmpty())) {
          problems.add(scrubber.scrub(endpoint.url + ": " + noKvGauge(endpoint)));
        }
      }
    }
    return new ServerMetrics(replicas, kvMetric, problems);
  }

  /**
   * The KV-cache usage at the latest scrape, a fraction 0..1: the mean over the endpoints whose
   * pages had the gauge, or NaN before any did. Safe from any thread; a live view reads it.
   */
  public double latestKvCacheUsage() {
    double sum = 0;
    int count = 0;
    for (Endpoint endpoint : endpoints) {
      double usage = endpoint.latestKvCacheUsage;
      if (!Double.isNaN(usage)) {
        sum += usage;
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /** The most family names a "no KV-cache gauge" problem lists. */
  static final int SEEN_FAMILIES_LISTED = 10;

  /** The longest family name listed as it is; a longer one is cut. */
  private static final int SEEN_NAME_MAX_CHARS = 64;

  /**
   * Says that no page had a KV-cache gauge, and which series the first page had instead, so that
   * the user can name the gauge (the setting {@code kvMetric}, which the CLI shows as its flag).
   */
  private String noKvGauge(Endpoint endpoint) {
    List<String> names = endpoint.seenFamilies;
    StringBuilder line =
        new StringBuilder("no KV-cache gauge among ")
            .append(endpoint.seenFamilyCount)
            .append(" series (");
    for (int i = 0; i < names.size(); i++) {
      line.append(i == 0 ? "" : ", ").append(names.get(i));
    }
    int more = endpoint.seenFamilyCount - names.size();
    line.append(more > 0 ? ", and " + more + " more)" : ")");
    String custom = profile.scrape().kvMetric();
    return line.append(
            custom == null
                ? "; name one with kvMetric"
                : "; kvMetric '" + shown(custom) + "' is not among them")
        .toString();
  }

  /** A name from the page as one short, printable token. */
  private static String shown(String name) {
    String printable = name.replaceAll("\\p{Cntrl}", "?");
    return printable.length() <= SEEN_NAME_MAX_CHARS
        ? printable
        : printable.substring(0, SEEN_NAME_MAX_CHARS - 3) + "...";
  }

  /** One endpoint: at most one scrape in flight; its samples, owned by the parser thread. */
  private final class Endpoint {
    private URI url;
    private final List<ServerSample> samples = new ArrayList<>();

    /** Per URL the problem was met at (the target's /metrics, then /v1/metrics): each count. */
    private final Map<URI, Map<String, Integer>> problems = new LinkedHashMap<>();

    /** The first page without a KV-cache gauge: its first family names, and how many it had. */
    private List<String> seenFamilies;

    private int seenFamilyCount;

    /** The latest page's KV-cache gauge, NaN before one: written by the parser, read by any. */
    private volatile double latestKvCacheUsage = Double.NaN;

    private HttpClientRequest pending;
    private long pendingSinceNanos;
    private long lastResponses = -1;
    private long lastNanos;
    private boolean triedV1;
    private boolean givenUp;

    Endpoint(URI url) {
      this.url = url;
    }

    void scrape(long now) {
      if (givenUp) {
        return;
      }
      if (pending != null) {
        long timeoutNanos = 2 * profile.scrape().interval().toNanos();
        if (now - pendingSinceNanos > timeoutNanos) {
          pending.reset();
          pending = null;
          problem("no answer within " + timeoutNanos / 1_000_000 + " ms");
        }
        return;
      }
      pendingSinceNanos = now;
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setAbsoluteURI(url.toString())
              .putHeader("accept", "text/plain;version=0.0.4");
      http.request(options)
          .compose(
              request -> {
                pending = request;
                return request.send();
              })
          .compose(this::readPage)
          .onComplete(
              ar -> {
                pending = null;
                if (ar.succeeded()) {
                  onPage(ar.result());
                } else {
                  onFailure(ar.cause());
                }
              });
    }

    /**
     * The page's bytes, up to {@link #MAX_PAGE_BYTES}: a larger page is not read but cut off (the
     * connection reset): buffering and parsing it would cost more than the page tells.
     */
    private Future<Buffer> readPage(HttpClientResponse response) {
      if (response.statusCode() == 404) {
        return Future.failedFuture(new NoPage());
      }
      if (response.statusCode() != 200) {
        return Future.failedFuture(new IllegalStateException("HTTP " + response.statusCode()));
      }
      Promise<Buffer> page = Promise.promise();
      Buffer body = Buffer.buffer();
      response.handler(
          chunk -> {
            if (body.length() + chunk.length() > MAX_PAGE_BYTES) {
              // Failed first: the reset fails the page too, as a bare "stream reset".
              page.tryFail(
                  new IllegalStateException(
                      "the page is larger than " + (MAX_PAGE_BYTES >> 20) + " MiB; not read"));
              response.request().reset();
            } else {
              body.appendBuffer(chunk);
            }
          });
      response.endHandler(v -> page.tryComplete(body));
      response.exceptionHandler(page::tryFail);
      return page.future();
    }

    void abandon() {
      if (pending != null) {
        pending.reset();
        pending = null;
      }
    }

    private void onFailure(Throwable failure) {
      if (stopped) {
        return;
      }
      if (automatic && samples.isEmpty()) {
        // The target may simply have no metrics there: try NIM's path once, then go without.
        if (!(failure instanceof NoPage)
            && !ErrorKinds.CONNECTION_REFUSED.equals(ErrorKinds.of(failure))) {
          problem(ErrorKinds.describe(failure));
        }
        if (!triedV1) {
          triedV1 = true;
          url = url.resolve(url.getPath().replaceFirst("/metrics$", "/v1/metrics"));
        } else {
          givenUp = true;
        }
        return;
      }
      problem(ErrorKinds.describe(failure));
    }

    /** On the scraper's event loop: note the client's state now, then parse on the parser's. */
    private void onPage(Buffer body) {
      if (stopped) {
        return;
      }
      long now = clock.nanoTime();
      int inFlight = state.inFlight();
      long sent = state.sent();
      long responses = state.responses();
      parser.execute(() -> record(body, now, inFlight, sent, responses));
    }

    private void record(Buffer body, long now, int inFlight, long sent, long responses) {
      PrometheusText.Parsed parsed = parse.apply(body.getBytes());
      KnownMetrics.Reading reading =
          KnownMetrics.read(parsed.samples(), profile.scrape().kvMetric());
      if (parsed.samples().isEmpty()) {
        context.runOnContext(
            v ->
                problem(
                    "the page is not Prometheus text"
                        + (parsed.errors().isEmpty() ? "" : " (" + parsed.errors().get(0) + ")")));
        return;
      }
      if (reading.kvMetric() != null && kvMetric == null) {
        kvMetric = reading.kvMetric();
      }
      if (reading.kvMetric() == null && seenFamilies == null) {
        List<PrometheusText.Family> families = parsed.families();
        seenFamilyCount = families.size();
        seenFamilies =
            families.stream().limit(SEEN_FAMILIES_LISTED).map(f -> shown(f.name())).toList();
      }
      double tokensPerSecond =
          lastResponses < 0 || now == lastNanos
              ? Double.NaN
              : (responses - lastResponses) / ((now - lastNanos) / 1e9);
      lastResponses = responses;
      lastNanos = now;
      if (!Double.isNaN(reading.kvCacheUsage())) {
        latestKvCacheUsage = reading.kvCacheUsage();
      }
      samples.add(
          new ServerSample(
              (now - originNanos) / 1_000_000,
              reading.kvCacheUsage(),
              reading.running(),
              reading.waiting(),
              reading.gpus(),
              inFlight,
              sent,
              tokensPerSecond));
    }

    /**
     * Counts a problem; runs on the scraper's event loop, read on the parser thread after it stops.
     */
    private synchronized void problem(String message) {
      // A problem may quote the page, which may echo our headers.
      problems
          .computeIfAbsent(url, u -> new LinkedHashMap<>())
          .merge(scrubber.scrub(message), 1, Integer::sum);
    }
  }

  /** A 404: the target serves no metrics at that path, which is no problem to report. */
  private static final class NoPage extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoPage() {
      super("HTTP 404", null, false, false);
    }
  }
}
