package io.loadgen.cli;

import io.loadgen.core.EndpointType;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code profile}'s flags for where requests go and what each carries besides its prompt. */
final class EndpointOptions {
  @Option(
      names = {"-m", "--model"},
      split = ",",
      paramLabel = "MODEL",
      description = "The model to profile (as the server names it). Several: the first is used.")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--model-selection-strategy",
      paramLabel = "round_robin|random",
      description = "Accepted for compatibility; one model is profiled.")
  String modelSelectionStrategy;

  @Option(
      names = "--backend",
      paramLabel = "BACKEND",
      description = "Triton only; accepted and ignored.")
  String backend;

  @Option(
      names = "--endpoint",
      paramLabel = "PATH",
      description =
          "A custom request path, e.g. v1/chat/completions (default: from --endpoint-type).")
  String endpoint;

  @Option(
      names = "--endpoint-type",
      paramLabel = "chat|completions|embeddings|rankings",
      defaultValue = "chat",
      description = {
        "The API to drive (default: ${DEFAULT-VALUE}): OpenAI's chat or completions, OpenAI's"
            + " embeddings (v1/embeddings), or NIM's rankings (v1/ranking); the last two are not"
            + " streamed and have request latency and throughput."
      })
  String endpointType;

  @Option(
      names = "--service-kind",
      paramLabel = "openai",
      defaultValue = "openai",
      description = "Only openai; accepted because genai-perf command lines carry it.")
  String serviceKind;

  @Option(
      names = "--streaming",
      description = "Ask for streamed (SSE) responses and measure every token.")
  boolean streaming;

  @Option(
      names = {"-u", "--url"},
      paramLabel = "URL[,URL...]",
      split = ",",
      defaultValue = "localhost:8000",
      description = {
        "The server: http(s)://host:port, host:port (plain HTTP), or sim://PRESET for the "
            + "embedded simulated server (default: ${DEFAULT-VALUE}).",
        "Several (a list, or the flag repeated): replicas of one model, each sent every Nth request, "
            + "as a Service spreads them; each sim:// starts an engine of its own."
      })
  List<String> urls;

  @Option(
      names = "--extra-inputs",
      paramLabel = "KEY:VALUE",
      description =
          "Merged into every request body; the JSON type is inferred (max_tokens:200 is a number, "
              + "ignore_eos:true a boolean). Repeatable.")
  List<String> extraInputs = new ArrayList<>();

  @Option(
      names = {"-H", "--header"},
      paramLabel = "NAME:VALUE",
      description =
          "An HTTP header for every request; repeatable. Values are secrets: never logged.")
  List<String> headers = new ArrayList<>();

  @Option(
      names = "--request-timeout",
      paramLabel = "SECONDS",
      description =
          "The idle limit: a request on which the server sends no data event (a chunk) for this "
              + "long, from the request written or from the last chunk, fails as timeout; SSE "
              + "comments and keep-alive lines do not count. Without --streaming it limits the wait "
              + "for the whole answer. Default: 60 with --streaming, none without; 0: no limit.")
  Double requestTimeoutSeconds;

  @Option(
      names = {"--request-deadline", "--request-timeout-seconds"},
      paramLabel = "SECONDS",
      description =
          "The overall limit: a request not finished this long after its intended send time (the "
              + "time its latency counts from) fails as timeout, however steadily it streams. "
              + "Default: 600, as AIPerf's --request-timeout-seconds, accepted as an alias; "
              + "0: no limit.")
  Double requestDeadlineSeconds;

  void applyTo(Profile.Builder builder) {
    if (!serviceKind.equals("openai")) {
      throw new ProfileConfigException(
          "--service-kind "
              + serviceKind
              + " is not supported: loadgen speaks the OpenAI API (--service-kind openai)");
    }
    builder
        .urls(urls)
        .model(models.isEmpty() ? null : models.get(0))
        .endpointType(EndpointType.fromCliName(endpointType))
        .endpointPath(endpoint)
        .streaming(streaming)
        .apiKey(System.getenv("OPENAI_API_KEY"));
    // Not given: the API's defaults stand.
    if (requestTimeoutSeconds != null) {
      builder.requestTimeout(limit("requestTimeout", requestTimeoutSeconds));
    }
    if (requestDeadlineSeconds != null) {
      builder.requestDeadline(limit("requestDeadline", requestDeadlineSeconds));
    }
    for (String extraInput : extraInputs) {
      Map.Entry<String, Object> entry = ExtraInputs.parse(extraInput);
      builder.extraInput(entry.getKey(), entry.getValue());
    }
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        // The value may be a secret: the message never holds it.
        throw new ProfileConfigException(
            "--header must be Name:value (e.g. --header 'X-Team:search'); got one without a name or colon");
      }
      builder.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
  }

  /** {@code seconds} as a limit, 0 as none. */
  private static Duration limit(String setting, double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0 || seconds > Duration.ofDays(365).toSeconds()) {
      throw new ProfileConfigException(
          setting, "must be 0 (no limit) or a number of seconds up to a year, got " + seconds);
    }
    long nanos = Math.round(seconds * 1e9);
    return nanos == 0 ? null : Duration.ofNanos(nanos);
  }

  /** The flags given that change nothing here. */
  void ignored(Map<String, Boolean> notes) {
    notes.put("--backend", backend != null);
    notes.put("--model-selection-strategy", modelSelectionStrategy != null);
    notes.put(
        "models after the first ("
            + String.join(",", models.subList(Math.min(1, models.size()), models.size()))
            + ")",
        models.size() > 1);
  }
}
