package io.loadgen.report.internal.plots;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the measured, successful requests of a raw export ({@code profile_export.json}, in {@code
 * RawExportSink}'s layout). Warm-up and failed requests are left out: no figure of the run counts
 * them either.
 *
 * <p>The file is read one request at a time (a run of long streams writes hundreds of megabytes),
 * and the content arrivals are found as genai-perf finds them: when the export kept every response
 * as the server sent it (it then has {@code output_text}), a response carried content when one of
 * its choices has a non-empty {@code delta.content}, {@code text} or {@code message.content}; the
 * role chunk, the usage chunk and {@code [DONE]} did not. A response whose text was cut short to
 * keep the export's budget cannot be read, and counts as content: the budget cuts the middle of a
 * stream, where every response is a token's. A request written without raw responses (a sink fed by
 * hand) has the content arrivals themselves in {@code response_timestamps}.
 */
public final class RawExportReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RawExportReader() {}

  /** The measured, successful requests of {@code file}, in the file's order. */
  public static List<RequestSample> read(Path file) throws IOException {
    List<RequestSample> samples = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(file.toFile())) {
      // Every "requests" array, whichever experiment holds it; other fields are skipped whole.
      while (parser.nextToken() != null) {
        if (parser.currentToken() == JsonToken.FIELD_NAME
            && parser.currentName().equals("requests")
            && parser.nextToken() == JsonToken.START_ARRAY) {
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            JsonNode request = parser.readValueAsTree();
            RequestSample sample = sample(request);
            if (sample != null) {
              samples.add(sample);
            }
          }
        }
      }
    }
    return samples;
  }

  /** The sample of one request, or null for a warm-up or failed one. */
  static RequestSample sample(JsonNode request) {
    if (request.path("warmup").asBoolean(false) || request.has("error")) {
      return null;
    }
    JsonNode times = request.path("response_timestamps");
    JsonNode outputs = request.path("response_outputs");
    boolean raw = request.has("output_text");
    long[] content = new long[times.size()];
    int count = 0;
    for (int i = 0; i < times.size(); i++) {
      if (!raw || carriesContent(outputs.path(i))) {
        content[count++] = times.get(i).asLong();
      }
    }
    long intended =
        request.has("intended_timestamp")
            ? request.get("intended_timestamp").asLong()
            : request.path("timestamp").asLong();
    return new RequestSample(
        request.path("input_tokens").asInt(),
        request.path("output_tokens").asInt(),
        intended,
        java.util.Arrays.copyOf(content, count));
  }

  /** Whether one raw response, {@code {"response": "data: {...}"}}, carried generated text. */
  static boolean carriesContent(JsonNode output) {
    String text = output.path("response").asText("");
    if (output.path("cut").asBoolean(false)) {
      return true;
    }
    String payload = payload(text);
    if (payload.isEmpty() || payload.equals("[DONE]")) {
      return false;
    }
    JsonNode body;
    try {
      body = JSON.readTree(payload);
    } catch (IOException e) {
      return false; // not JSON: an error text or a keep-alive, no token
    }
    for (JsonNode choice : body.path("choices")) {
      if (nonEmpty(choice.path("delta").path("content"))
          || nonEmpty(choice.path("text"))
          || nonEmpty(choice.path("message").path("content"))) {
        return true;
      }
    }
    return false;
  }

  /** The data of an SSE event ({@code data:} lines joined), or the whole text of a plain body. */
  private static String payload(String text) {
    if (!text.startsWith("data:") && !text.contains("\ndata:")) {
      return text.strip();
    }
    StringBuilder data = new StringBuilder();
    for (String line : text.split("\r\n|\r|\n")) {
      if (line.startsWith("data:")) {
        if (data.length() > 0) {
          data.append('\n');
        }
        data.append(line.substring("data:".length()).strip());
      }
    }
    return data.toString();
  }

  private static boolean nonEmpty(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty();
  }
}
