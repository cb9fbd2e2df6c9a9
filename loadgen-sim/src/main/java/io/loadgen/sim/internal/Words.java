package io.loadgen.sim.internal;

import java.util.List;

/**
 * The simulated output vocabulary: English words that, with their leading space, are exactly one
 * token in GPT-2's tokenizer and in Llama-3's, and stay one token each when concatenated (checked
 * by the tests for GPT-2, and by hand for Llama-3 on 5,000 random words). So a client that
 * tokenises the output counts exactly the tokens the server sent.
 */
final class Words {
  static final List<String> TOKENS =
      List.of(
              ("the of and to in is that for it as was with be by on not he this are or his from at which but"
                      + " have an had they you were their one all we can her has there been if more when will would"
                      + " who so no time people new world work day water light way year long make first well down"
                      + " good great old life little state place part hand high point small large number case group"
                      + " fact area power home line side end order name form word house city head system market room"
                      + " book story health music art car family night young sound thing game river tree field stone"
                      + " wind rain cloud star moon sun fire earth sea door road wall bridge garden window paper table"
                      + " glass chair plant animal bird horse dog ship train letter voice color heart mind body eye face")
                  .split(" "))
          .stream()
          .map(word -> " " + word)
          .toList();

  /** {@link #TOKENS} as UTF-8, for writing without encoding each time. */
  static final byte[][] TOKEN_BYTES =
      TOKENS.stream()
          .map(word -> word.getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .toArray(byte[][]::new);

  private Words() {}
}
