package io.loadgen.core;

import java.util.Objects;

/**
 * One response of a request as the server sent it, for the raw export: a streamed event, written
 * {@code data: ...} as perf_analyzer keeps it (the role chunk, every content chunk, the last chunk
 * with the server's {@code usage} or llama.cpp's {@code timings}, {@code [DONE]}), or a whole body
 * (a non-streamed answer, an error). Its arrival time is on the same clock as every time of the
 * {@link RequestRecord}, so a user can set the server's own timings beside loadgen's.
 *
 * @param epochNanos when it arrived: the network buffer that completed it, in nanoseconds since the
 *     epoch
 * @param text what the server sent, decoded as UTF-8, with the run's secrets replaced; shorter than
 *     what was sent (possibly empty) when {@code cut}
 * @param cut true when the request's budget for raw text was spent and this text was cut short
 */
public record RawResponse(long epochNanos, String text, boolean cut) {
  public RawResponse {
    Objects.requireNonNull(text, "text");
  }
}
