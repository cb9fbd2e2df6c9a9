package io.loadgen.core.internal.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Every response of one request as the server sent it, each with its arrival time, for the raw
 * export: a streamed event's data (written {@code data: ...}, as perf_analyzer keeps it) or a whole
 * body. Kept only when a record sink will read it. The bytes of every response go into one growable
 * array, with an end offset and an arrival time per response, so a token costs one array copy and
 * no object.
 *
 * <p>Bounded: a request keeps at most {@value #BYTES_PER_REQUEST} bytes of text. The last {@value
 * #END_RESERVE_BYTES} of them are held back for the responses that end a stream (a finish reason,
 * usage, an error, {@code [DONE]}): they carry the server's own account of the request (vLLM's
 * {@code usage}, llama.cpp's {@code timings}), which a long stream must not crowd out. A response
 * that does not fit is kept as far as it fits, and marked cut; its arrival time is always kept.
 * Confined to one thread until handed off in an {@link Outcome}.
 */
public final class RawResponseLog {
  /**
   * The most text one request keeps: about 250 chunks of a typical OpenAI stream (vLLM's and
   * llama.cpp's are 220 to 280 bytes), so a 200-token answer is kept whole. Every stream in flight
   * may hold this much until it ends: 1,000 streams 64 MiB, where 1 MiB would have let them hold a
   * GiB; arrival times are kept for every response regardless.
   */
  public static final int BYTES_PER_REQUEST = 64 << 10;

  /** Of {@link #BYTES_PER_REQUEST}, what only the responses that end a stream may use. */
  public static final int END_RESERVE_BYTES = 8 << 10;

  private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final int MIN_BYTES = 4096;
  private static final int MIN_RESPONSES = 32;

  /** An OpenAI chunk's size, give or take (vLLM's are about 220 bytes): sizes the first array. */
  private static final int EXPECTED_BYTES_PER_RESPONSE = 256;

  /** Responses beside the content chunks: the role chunk, the last one, usage, {@code [DONE]}. */
  private static final int EXTRA_RESPONSES = 8;

  private byte[] bytes;
  private int used;
  private long[] arrivals;
  private int[] ends;
  private boolean[] cut;
  private int count;

  /** A log sized for a short answer; it grows as needed. */
  public RawResponseLog() {
    this(0);
  }

  /**
   * A log sized for {@code expectedTokens} content chunks (the output length asked for, or 0), so
   * that a stream of that length fills it without copying it to a larger array on the way; it grows
   * as needed, to the budget.
   */
  public RawResponseLog(int expectedTokens) {
    int responses = Math.max(MIN_RESPONSES, Math.min(expectedTokens, 1 << 16) + EXTRA_RESPONSES);
    long expectedBytes = (long) responses * EXPECTED_BYTES_PER_RESPONSE;
    this.bytes = new byte[(int) Math.max(MIN_BYTES, Math.min(expectedBytes, BYTES_PER_REQUEST))];
    this.arrivals = new long[responses];
    this.ends = new int[responses];
    this.cut = new boolean[responses];
  }

  /**
   * Keeps one streamed event's data, {@code data[0, length)}.
   *
   * @param endsStream true for an event that ends the stream or says how it went: it may use the
   *     reserve
   */
  public void addEvent(long arrivalNanos, byte[] data, int length, boolean endsStream) {
    int limit = endsStream ? BYTES_PER_REQUEST : BYTES_PER_REQUEST - END_RESERVE_BYTES;
    int room = Math.max(0, limit - used);
    int prefix = Math.min(DATA_PREFIX.length, room);
    int body = Math.min(length, room - prefix);
    append(DATA_PREFIX, prefix);
    append(data, body);
    close(arrivalNanos, prefix + body < DATA_PREFIX.length + length);
  }

  /** Keeps a whole body, {@code data[0, length)}: it may use the reserve. */
  public void addBody(long arrivalNanos, byte[] data, int length) {
    int body = Math.min(length, Math.max(0, BYTES_PER_REQUEST - used));
    append(data, body);
    close(arrivalNanos, body < length);
  }

  private void append(byte[] data, int length) {
    if (length == 0) {
      return;
    }
    if (used + length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.min(BYTES_PER_REQUEST, Math.max(used + length, 2 * used)));
    }
    System.arraycopy(data, 0, bytes, used, length);
    used += length;
  }

  private void close(long arrivalNanos, boolean wasCut) {
    if (count == arrivals.length) {
      arrivals = Arrays.copyOf(arrivals, 2 * count);
      ends = Arrays.copyOf(ends, 2 * count);
      cut = Arrays.copyOf(cut, 2 * count);
    }
    arrivals[count] = arrivalNanos;
    ends[count] = used;
    cut[count] = wasCut;
    count++;
  }

  /** How many responses arrived. */
  public int count() {
    return count;
  }

  /** When response {@code index} arrived, in monotonic nanoseconds. */
  public long arrivalNanos(int index) {
    return arrivals[index];
  }

  /**
   * The kept text of response {@code index}, decoded as UTF-8 (a malformed byte becomes U+FFFD).
   */
  public String text(int index) {
    int start = index == 0 ? 0 : ends[index - 1];
    return new String(bytes, start, ends[index] - start, StandardCharsets.UTF_8);
  }

  /** True when response {@code index} was longer than what was kept of it. */
  public boolean cut(int index) {
    return cut[index];
  }
}
