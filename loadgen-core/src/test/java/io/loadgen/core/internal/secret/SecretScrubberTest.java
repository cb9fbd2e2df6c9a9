package io.loadgen.core.internal.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.loadgen.core.Profile;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {

  private static SecretScrubber scrubber(Map<String, String> environment) {
    Profile profile =
        Profile.builder()
            .url("localhost:8000")
            .model("m")
            .apiKey("sk-live-123")
            .header("X-Api-Key", "k3y/with\"quote")
            .header("X-Team", "ab")
            .build();
    return SecretScrubber.of(profile.endpoint(), environment);
  }

  @Test
  void replacesTheApiKeyEveryHeaderValueAndTheHuggingFaceToken() {
    SecretScrubber scrubber = scrubber(Map.of("HF_TOKEN", "hf_abcdef"));
    assertEquals(
        "denied: Authorization: Bearer <redacted>, X-Api-Key: <redacted>, token <redacted>",
        scrubber.scrub(
            "denied: Authorization: Bearer sk-live-123, X-Api-Key: k3y/with\"quote, token hf_abcdef"));
  }

  @Test
  void findsASecretInTheJsonEscapedFormAServerWritesItIn() {
    assertEquals(
        "{\"headers\":{\"x-api-key\":\"<redacted>\"}}",
        scrubber(Map.of()).scrub("{\"headers\":{\"x-api-key\":\"k3y\\/with\\\"quote\"}}"));
  }

  @Test
  void replacesASecretThatHoldsAnotherWhole() {
    Profile profile =
        Profile.builder()
            .url("localhost:8000")
            .model("m")
            .apiKey("secret")
            .header("X", "secret-2")
            .build();
    assertEquals(
        "a <redacted> b <redacted>",
        SecretScrubber.of(profile.endpoint(), Map.of()).scrub("a secret-2 b secret"));
  }

  @Test
  void replacesTheStartOfASecretThatTheMessageWasCutIn() {
    SecretScrubber scrubber = scrubber(Map.of());
    assertEquals(
        "HTTP 500: Authorization: Bearer <redacted>...",
        scrubber.scrub("HTTP 500: Authorization: Bearer sk-li..."));
    assertEquals("HTTP 500: the limit is 5...", scrubber.scrub("HTTP 500: the limit is 5..."));
  }

  @Test
  void leavesTextWithoutSecretsAndValuesTooShortToBeSecretsAlone() {
    SecretScrubber scrubber = scrubber(Map.of());
    assertEquals("about a team of ab", scrubber.scrub("about a team of ab"));
    assertNull(scrubber.scrub(null));
  }
}
