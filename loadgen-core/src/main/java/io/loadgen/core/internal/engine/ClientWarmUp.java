package io.loadgen.core.internal.engine;

import io.loadgen.core.internal.sse.ChunkDecoder;
import io.loadgen.core.internal.sse.SseParser;
import io.loadgen.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;

/**
 * Runs the client's per-token path (SSE parsing, chunk decoding, output counting) on canned data
 * before the first send, so the client's own class loading and first compilations are not charged to
 * the server's first requests. It sends nothing.
 */
final class ClientWarmUp {
  private static final int ROUNDS = 2_000;

  private ClientWarmUp() {}

  static void run(Tokenizer tokenizer) {
    byte[] stream = ("data: {\"id\":\"w\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\" warm\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"w\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" up\"}],"
        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n")
        .getBytes(StandardCharsets.UTF_8);
    ChunkDecoder decoder = new ChunkDecoder();
    int[] contentChars = {0};
    SseParser parser = new SseParser((type, data, length) -> {
      String content = decoder.decode(data, length).content();
      contentChars[0] += content == null ? 0 : content.length();
    });
    for (int i = 0; i < ROUNDS; i++) {
      parser.feed(stream, 0, stream.length);
    }
    if (contentChars[0] != ROUNDS * " warm up".length()) {
      throw new IllegalStateException("the client warm-up decoded the wrong content");
    }
    tokenizer.count(" warm up the client");
  }
}
