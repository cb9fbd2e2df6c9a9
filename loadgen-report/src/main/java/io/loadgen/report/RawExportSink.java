package io.loadgen.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Profile;
import io.loadgen.core.RawResponse;
import io.loadgen.core.RequestRecord;
import io.loadgen.core.RequestRecordSink;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams the raw per-request export ({@code profile_export.json}) to disk as requests finish, so
 * memory does not grow with the request count. The layout is perf_analyzer's, which genai-perf
 * reads:
 *
 * <pre>{@code
 * {"experiments": [{"experiment": {"mode": "concurrency", "value": 10},
 *                   "requests": [{"timestamp": ..., "request_inputs": {"payload": "..."},
 *                                 "response_timestamps": [...], "response_outputs": [{"response": "..."}]}],
 *                   "window_boundaries": [first send, last response]}],
 *  "version": "...", "service_kind": "openai", "endpoint": "v1/chat/completions"}
 * }</pre>
 *
 * Times are nanoseconds since the epoch. As perf_analyzer does, {@code response_outputs} holds
 * every response of the request as the server sent it ({@code data: ...} for each streamed event,
 * the role and usage chunks and {@code [DONE]} included, or the whole body), and {@code
 * response_timestamps} the arrival of each, index for index: the server's own {@code usage} and
 * {@code timings} can be read there and its clock set against loadgen's. Each request keeps at most
 * 64 KiB of this text (8 KiB of it held back for the responses that end the stream); a response cut
 * short for it has {@code "cut": true} and the request {@code "responses_cut": true}, and {@code
 * output_text} keeps the whole generated text regardless. A record without raw responses (a sink
 * fed by hand) is written as before: one response with the whole output text, and the content
 * arrivals.
 *
 * <p>Each request also carries {@code intended_timestamp} (open loop: when it should have been
 * sent), {@code input_tokens}, {@code output_tokens}, {@code http_status}, {@code server_usage}
 * when the server sent one, {@code error} when it failed, {@code retries} when it was sent again on
 * a fresh connection (a kept-alive one had been closed under it; its times count from the first
 * send), and {@code warmup} for warm-up requests. No header or key is written: request bodies carry
 * none, and what the server said has the run's secrets replaced.
 */
public final class RawExportSink implements RequestRecordSink {
  private final Path file;
  private final JsonGenerator json;
  private final Profile profile;
  private long firstSend = Long.MAX_VALUE;
  private long lastResponse = Long.MIN_VALUE;

  /**
   * Opens {@code file} and writes the head of the document.
   *
   * @throws ArtifactWriteException when the file cannot be created
   */
  public RawExportSink(Path file, Profile profile) {
    this.file = file;
    this.profile = profile;
    try {
      this.json = new JsonFactory().createGenerator(Files.newOutputStream(file), JsonEncoding.UTF8);
      json.writeStartObject();
      json.writeArrayFieldStart("experiments");
      json.writeStartObject();
      json.writeObjectFieldStart("experiment");
      LoadMode mode = profile.load().mode();
      json.writeStringField("mode", mode.key());
      if (mode.level() instanceof Integer concurrency) {
        json.writeNumberField("value", concurrency);
      } else {
        json.writeNumberField("value", mode.level().doubleValue());
      }
      json.writeEndObject();
      json.writeArrayFieldStart("requests");
    } catch (IOException e) {
      throw failure(e);
    }
  }

  @Override
  public void accept(RequestRecord record) {
    try {
      json.writeStartObject();
      json.writeNumberField("timestamp", record.sendEpochNanos());
      json.writeNumberField("intended_timestamp", record.intendedSendEpochNanos());
      json.writeObjectFieldStart("request_inputs");
      json.writeStringField("payload", record.requestBody());
      json.writeEndObject();
      if (record.rawResponses().isEmpty()) {
        writeMergedOutput(record);
      } else {
        writeRawResponses(record);
      }
      json.writeNumberField("input_tokens", record.inputTokens());
      json.writeNumberField("output_tokens", record.outputTokens());
      json.writeNumberField("http_status", record.httpStatus());
      if (record.serverPromptTokens() >= 0 || record.serverCompletionTokens() >= 0) {
        json.writeObjectFieldStart("server_usage");
        json.writeNumberField("prompt_tokens", record.serverPromptTokens());
        json.writeNumberField("completion_tokens", record.serverCompletionTokens());
        json.writeEndObject();
      }
      if (record.failed()) {
        json.writeObjectFieldStart("error");
        json.writeStringField("kind", record.errorKind());
        json.writeStringField("message", record.errorMessage());
        json.writeEndObject();
      }
      if (record.reasoningTokens() > 0) {
        json.writeNumberField("reasoning_tokens", record.reasoningTokens());
      }
      if (record.retries() > 0) {
        json.writeNumberField("retries", record.retries());
      }
      if (record.warmup()) {
        json.writeBooleanField("warmup", true);
      } else {
        firstSend = Math.min(firstSend, record.intendedSendEpochNanos());
        long[] responses = record.responseEpochNanos();
        lastResponse =
            Math.max(
                lastResponse,
                responses.length > 0 ? responses[responses.length - 1] : record.sendEpochNanos());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  /** The content arrivals and one response holding the whole output text. */
  private void writeMergedOutput(RequestRecord record) throws IOException {
    json.writeArrayFieldStart("response_timestamps");
    for (int i = 0; i < record.responseCount(); i++) {
      json.writeNumber(record.responseEpochNanos(i));
    }
    json.writeEndArray();
    json.writeArrayFieldStart("response_outputs");
    if (record.outputText() != null && !record.outputText().isEmpty()) {
      json.writeStartObject();
      json.writeStringField("response", record.outputText());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** Every response as the server sent it, and its arrival, index for index. */
  private void writeRawResponses(RequestRecord record) throws IOException {
    json.writeArrayFieldStart("response_timestamps");
    for (RawResponse response : record.rawResponses()) {
      json.writeNumber(response.epochNanos());
    }
    json.writeEndArray();
    json.writeArrayFieldStart("response_outputs");
    for (RawResponse response : record.rawResponses()) {
      json.writeStartObject();
      json.writeStringField("response", response.text());
      if (response.cut()) {
        json.writeBooleanField("cut", true);
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    if (record.rawResponsesCut()) {
      json.writeBooleanField("responses_cut", true);
    }
    json.writeStringField("output_text", record.outputText() == null ? "" : record.outputText());
  }

  /** Writes the tail of the document and closes the file. */
  @Override
  public void close() {
    try {
      json.writeEndArray();
      json.writeArrayFieldStart("window_boundaries");
      if (firstSend != Long.MAX_VALUE) {
        json.writeNumber(firstSend);
        json.writeNumber(lastResponse);
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndArray();
      json.writeStringField("version", "loadgen");
      json.writeStringField("service_kind", "openai");
      json.writeStringField("endpoint", profile.endpoint().path());
      json.writeEndObject();
      json.close();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  private ArtifactWriteException failure(IOException e) {
    String why =
        e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    return new ArtifactWriteException(file, why, e);
  }
}
