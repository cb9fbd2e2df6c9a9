package io.loadgen.core;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where requests go and what each carries besides its prompt: the targets, the API, the model, the
 * headers and the body's extra keys. Part of a {@link Profile}.
 *
 * <p>The API key and header values are secrets: {@link #toString()} redacts them, and nothing in
 * loadgen logs or exports them.
 *
 * @param urls one server, or the replicas of one, which the run's requests go to in turn (the
 *     {@code n}th request of the run to {@code urls.get(n % size)}), as a Kubernetes Service
 *     spreads them over its pods; each has its own connections and, by default, its own /metrics
 *     scrape. A {@code sim://PRESET} URL is an embedded simulated server, started for the run
 * @param type the OpenAI API to drive
 * @param customPath the request path without a leading slash, or null for {@link
 *     EndpointType#defaultPath()}
 * @param streaming whether responses are streamed (SSE) and every token is timed
 * @param model the model the server serves, sent in every body
 * @param headers extra HTTP headers, in order; their values are secrets
 * @param apiKey the bearer token sent as {@code Authorization: Bearer}, or null; a secret
 * @param extraInputs keys merged into every request body, with their JSON types, in order
 * @param requestTimeout the idle limit: how long a request may go without progress from the server
 *     before it counts as a {@code timeout} error; null for no limit. Progress is an SSE data event
 *     that decodes as a chunk, so comments ({@code : ping}), blank keep-alive lines and headers do
 *     not reset it; before the first event it counts from the request's last byte written (a long
 *     prefill is silence too). A response that is not streamed has no events, so there it limits
 *     the whole wait. {@link Profile#builder()} sets {@link #DEFAULT_STREAMING_REQUEST_TIMEOUT} for
 *     a streamed endpoint, none otherwise
 * @param requestDeadline the overall limit: how long a request may take from its intended send time
 *     (the time its latency counts from, so a client that sends late eats into it) to its end,
 *     however steadily the server streams, before it counts as a {@code timeout} error; null for no
 *     limit. {@link Profile#builder()} sets {@link #DEFAULT_REQUEST_DEADLINE}
 */
public record Endpoint(
    List<URI> urls,
    EndpointType type,
    String customPath,
    boolean streaming,
    String model,
    Map<String, String> headers,
    String apiKey,
    Map<String, Object> extraInputs,
    Duration requestTimeout,
    Duration requestDeadline) {
  /**
   * The idle limit of a streamed endpoint that sets none. A server's first token can be long in
   * coming (a 100k-token prompt's prefill behind a queue of others), and a minute of no chunk at
   * all is still far beyond that on any healthy server; a server that has stopped answering mid-run
   * no longer holds the run for ever.
   */
  public static final Duration DEFAULT_STREAMING_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The overall limit of an endpoint that sets none: AIPerf's default for its request timeout, and
   * well beyond a 4,096-token answer at 10 tokens per second (410 s). It stops a server that
   * streams for ever (no {@code max_tokens}, a model that never stops) and bounds the answers that
   * are not streamed, which the idle limit leaves alone by default.
   */
  public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofMinutes(10);

  /** RFC 9110's token: what a header's name may hold. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** RFC 3986's path characters, percent-encoded ones included; no spaces, queries or fragments. */
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@/%-]*");

  public Endpoint {
    if (urls == null || urls.isEmpty()) {
      throw new ProfileConfigException(
          "url", "is missing: give the server's URL, e.g. http://localhost:8000");
    }
    if (model == null || model.isBlank()) {
      throw new ProfileConfigException("model", "is missing: give the model the server serves");
    }
    if (requestTimeout != null && (requestTimeout.isNegative() || requestTimeout.isZero())) {
      throw new ProfileConfigException(
          "requestTimeout", "must be positive, got " + requestTimeout.toMillis() + " ms");
    }
    if (requestDeadline != null && (requestDeadline.isNegative() || requestDeadline.isZero())) {
      throw new ProfileConfigException(
          "requestDeadline", "must be positive, got " + requestDeadline.toMillis() + " ms");
    }
    urls = List.copyOf(urls);
    Objects.requireNonNull(type, "type");
    if (customPath != null && !PATH.matcher(customPath).matches()) {
      throw new ProfileConfigException("endpointPath", "'" + customPath + "' is not a URL path");
    }
    for (String name : headers.keySet()) {
      if (!HEADER_NAME.matcher(name).matches()) {
        // The name only: a header's value may be a secret.
        throw new ProfileConfigException(
            "header",
            "name '"
                + name
                + "' is not an HTTP header name (RFC 9110: "
                + "letters, digits and !#$%&'*+-.^_`|~, no spaces)");
      }
    }
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    extraInputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraInputs));
  }

  /** The first of {@link #urls()}. */
  public URI url() {
    return urls.get(0);
  }

  /** The request path, without a leading slash: the custom one, else the type's default. */
  public String path() {
    return customPath != null ? customPath : type.defaultPath();
  }

  @Override
  public String toString() {
    Map<String, String> redacted = new LinkedHashMap<>();
    headers.keySet().forEach(name -> redacted.put(name, "<redacted>"));
    return "Endpoint[urls="
        + urls
        + ", type="
        + type
        + ", path="
        + path()
        + ", streaming="
        + streaming
        + ", model="
        + model
        + ", headers="
        + redacted
        + ", apiKey="
        + (apiKey == null ? null : "<redacted>")
        + ", extraInputs="
        + extraInputs
        + ", requestTimeout="
        + requestTimeout
        + ", requestDeadline="
        + requestDeadline
        + "]";
  }

  /** Fills an {@link Endpoint}; {@link Profile.Builder} sets it. */
  static final class Builder {
    private final List<URI> urls = new ArrayList<>();
    private EndpointType type = EndpointType.CHAT;
    private String customPath;
    private boolean streaming;
    private String model;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String apiKey;
    private final Map<String, Object> extraInputs = new LinkedHashMap<>();
    private Duration requestTimeout;
    private boolean requestTimeoutSet;
    private Duration requestDeadline = DEFAULT_REQUEST_DEADLINE;

    Builder() {}

    Builder(Endpoint e) {
      urls.addAll(e.urls);
      type = e.type;
      customPath = e.customPath;
      streaming = e.streaming;
      model = e.model;
      headers.putAll(e.headers);
      apiKey = e.apiKey;
      extraInputs.putAll(e.extraInputs);
      requestTimeout = e.requestTimeout;
      requestTimeoutSet = true;
      requestDeadline = e.requestDeadline;
    }

    void urls(List<String> targets) {
      if (targets.isEmpty()) {
        throw new ProfileConfigException("url", "is missing: give at least one URL");
      }
      urls.clear();
      targets.forEach(target -> urls.add(TargetUrl.parse(target)));
    }

    void type(EndpointType type) {
      this.type = Objects.requireNonNull(type);
    }

    void customPath(String path) {
      this.customPath = path == null ? null : path.replaceFirst("^/+", "");
    }

    void streaming(boolean streaming) {
      this.streaming = streaming;
    }

    void model(String model) {
      this.model = model;
    }

    void header(String name, String value) {
      headers.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
    }

    void apiKey(String apiKey) {
      this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    }

    void extraInput(String key, Object value) {
      extraInputs.put(Objects.requireNonNull(key), value);
    }

    void requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      this.requestTimeoutSet = true;
    }

    void requestDeadline(Duration deadline) {
      this.requestDeadline = deadline;
    }

    Endpoint build() {
      // The default idle limit waits for the builder's streaming setting, given in any order: a
      // response that is not streamed sends nothing until it ends, so the deadline bounds it.
      Duration idle =
          requestTimeoutSet ? requestTimeout : streaming ? DEFAULT_STREAMING_REQUEST_TIMEOUT : null;
      return new Endpoint(
          urls,
          type,
          customPath,
          streaming,
          model,
          headers,
          apiKey,
          extraInputs,
          idle,
          requestDeadline);
    }
  }
}
