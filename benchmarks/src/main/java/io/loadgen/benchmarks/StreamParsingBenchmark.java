package io.loadgen.benchmarks;

import io.loadgen.core.internal.record.RawResponseLog;
import io.loadgen.core.internal.sse.ChunkDecoder;
import io.loadgen.core.internal.sse.OutputText;
import io.loadgen.core.internal.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The client's per-token work: parsing a stream of realistic OpenAI chat chunks (vLLM's shape,
 * about 200 bytes each) cut into network buffers at random points, and decoding each event's JSON
 * to its content, together and apart. Reported per token; the stream is 211 bytes a token, so
 * bytes/s are tokens/s x 211 ({@link #bytesPerToken()}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamParsingBenchmark {
  static final int TOKENS = 1000;

  /** Mean network buffer size in bytes: one chunk per buffer, or many. */
  @Param({"256", "4096"})
  int bufferBytes;

  private byte[] stream;
  private int[] cuts;
  private SseParser parser;
  private SseParser parserKeepingRaw;
  private SseParser parserAlone;
  private byte[][] events;
  private ChunkDecoder decoder;

  /** Where the client puts each token's text; a new one per invocation, sized for the stream. */
  private OutputText output;

  /** Where the client keeps each event for the raw export; a new one per invocation. */
  private RawResponseLog raw;

  private Blackhole blackhole;

  @Setup
  public void setUp(Blackhole blackhole) {
    this.blackhole = blackhole;
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < TOKENS; i++) {
      text.append(
              "data: {\"id\":\"chatcmpl-8f3a\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,")
          .append(
              "\"model\":\"meta/llama-3.1-8b-instruct\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word")
          .append(i % 10)
          .append("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
    stream = text.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
    SplittableRandom random = new SplittableRandom(1);
    int[] positions = new int[stream.length / 8 + 2];
    int count = 0;
    for (int at = 0; at < stream.length; at += 1 + random.nextInt(2 * bufferBytes)) {
      positions[count++] = at;
    }
    positions[count++] = stream.length;
    cuts = java.util.Arrays.copyOf(positions, count);
    decoder = new ChunkDecoder();
    parser =
        new SseParser((type, data, length) -> decoder.decode(data, length).appendContentTo(output));
    parserKeepingRaw =
        new SseParser(
            (type, data, length) -> {
              ChunkDecoder.Chunk chunk = decoder.decode(data, length);
              raw.addEvent(0, data, length, chunk.finishReason() != null || chunk.done());
              chunk.appendContentTo(output);
            });
    parserAlone = new SseParser((type, data, length) -> this.blackhole.consume(length));
    java.util.List<byte[]> payloads = new java.util.ArrayList<>();
    new SseParser((type, data, length) -> payloads.add(java.util.Arrays.copyOf(data, length)))
        .feed(stream, 0, stream.length);
    events = payloads.subList(0, TOKENS).toArray(new byte[0][]);
  }

  /** Bytes of stream per token, to turn tokens/s into bytes/s. */
  public static int bytesPerToken() {
    StreamParsingBenchmark b = new StreamParsingBenchmark();
    b.bufferBytes = 256;
    b.setUp(null);
    return b.stream.length / TOKENS;
  }

  /** The SSE framing alone: lines, fields and events found across random buffer cuts. */
  @Benchmark
  @OperationsPerInvocation(TOKENS)
  public void parseOnly() {
    parserAlone.reset();
    for (int i = 1; i < cuts.length; i++) {
      parserAlone.feed(stream, cuts[i - 1], cuts[i] - cuts[i - 1]);
    }
  }

  /**
   * The JSON delta extraction alone, as the client does it: each event's payload decoded (on the
   * fast path, for these chunks) and its content appended to the response's text.
   */
  @Benchmark
  @OperationsPerInvocation(TOKENS)
  public void decodeOnly(Blackhole sink) {
    OutputText text = new OutputText(8 * TOKENS);
    for (byte[] event : events) {
      decoder.decode(event, event.length).appendContentTo(text);
    }
    sink.consume(text);
  }

  /** The same with Jackson's parser for every event: what the client did before the fast path. */
  @Benchmark
  @OperationsPerInvocation(TOKENS)
  public void decodeOnlyJackson(Blackhole sink) {
    StringBuilder text = new StringBuilder(8 * TOKENS);
    for (byte[] event : events) {
      text.append(decoder.decodeWithJackson(event, event.length).content());
    }
    sink.consume(text);
  }

  @Benchmark
  @OperationsPerInvocation(TOKENS)
  public void parseAndDecode(Blackhole sink) {
    output = new OutputText(8 * TOKENS);
    sink.consume(output);
    parser.reset();
    for (int i = 1; i < cuts.length; i++) {
      parser.feed(stream, cuts[i - 1], cuts[i] - cuts[i - 1]);
    }
  }

  /**
   * {@link #parseAndDecode} keeping every event's bytes and arrival for the raw export, as the
   * client does when the raw export is on (the default): one array copy a token, no object.
   */
  @Benchmark
  @OperationsPerInvocation(TOKENS)
  public void parseDecodeAndKeepRaw(Blackhole sink) {
    output = new OutputText(8 * TOKENS);
    raw = new RawResponseLog(TOKENS);
    sink.consume(output);
    sink.consume(raw);
    parserKeepingRaw.reset();
    for (int i = 1; i < cuts.length; i++) {
      parserKeepingRaw.feed(stream, cuts[i - 1], cuts[i] - cuts[i - 1]);
    }
  }
}
