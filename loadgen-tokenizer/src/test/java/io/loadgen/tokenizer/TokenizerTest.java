package io.loadgen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
        assertThrows(
            TokenizerException.class, () -> Tokenizer.load(dir.resolve("nope").toString()));
    assertTrue(e.getMessage().contains("--tokenizer"), e.getMessage());
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void nullBlankAndGpt2AllMeanTheBundledTokenizer() {
    for (String spec : new String[] {null, "", "  ", "gpt2"}) {
      try (Tokenizer tokenizer = Tokenizer.load(spec, "v1.0")) {
        assertEquals("gpt2", tokenizer.name());
      }
    }
  }

  @Test
  void aRepoIdLoadsFromTheHuggingFaceCacheUnderTheNameTheUserGave(@TempDir Path root)
      throws Exception {
    String commit = "0123456789abcdef0123456789abcdef01234567";
    Path snapshot = Files.createDirectories(root.resolve("models--org--name/snapshots/" + commit));
    try (InputStream in = TokenizerTest.class.getResourceAsStream("gpt2/tokenizer.json")) {
      Files.copy(in, snapshot.resolve("tokenizer.json"));
    }
    Files.createDirectories(root.resolve("models--org--name/refs"));
    Files.writeString(root.resolve("models--org--name/refs/main"), commit);
    TokenizerResolver resolver =
        TokenizerResolver.of(Map.of("HF_HUB_CACHE", root.toString(), "HF_HUB_OFFLINE", "1"), root);

    try (Tokenizer tokenizer = Tokenizer.load("org/name", null, resolver)) {
      assertEquals("org/name", tokenizer.name());
      assertEquals(2, tokenizer.count("Hello world"));
    }
  }
}
