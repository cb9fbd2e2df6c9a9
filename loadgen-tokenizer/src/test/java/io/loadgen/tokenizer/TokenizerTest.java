package io.loadgen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

  @Test
  void bundledTokenizerCountsGpt2TokensWithoutSpecialTokens() {
    try (Tokenizer tokenizer = Tokenizer.bundled()) {
      // "Hello world" is [15496, 995] in GPT-2's vocabulary.
      assertEquals(2, tokenizer.count("Hello world"));
      assertEquals(15496L, tokenizer.encode("Hello world")[0]);
      assertEquals("Hello world", tokenizer.decode(tokenizer.encode("Hello world")));
      assertEquals(0, tokenizer.count(""));
    }
  }

  @Test
  void missingPathNamesWhereItLookedAndWhatToPass(@TempDir Path dir) {
    TokenizerException e =
        assertThrows(TokenizerException.class, () -> Tokenizer.load(dir.resolve("nope").toString()));
    assertTrue(e.getMessage().contains("--tokenizer"), e.getMessage());
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }
}
