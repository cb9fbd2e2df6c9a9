package io.loadgen.core.internal.secret;

import io.loadgen.core.Endpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Replaces every secret the run holds with {@value #REDACTED} in text that came from a server:
 * error messages, streamed content and metrics problems. Proxies and gateways echo a request's
 * headers in their error pages, so anything a server says may hold our {@code Authorization}
 * header; loadgen never prints, logs or exports it as it came.
 *
 * <p>The secrets are the API key, every header value (any of them may be a credential) and {@code
 * HF_TOKEN}; each is also matched in its JSON-escaped form. The longest are replaced first, so a
 * secret that holds another is replaced whole. Immutable and safe from any thread.
 */
public final class SecretScrubber {
  public static final String REDACTED = "<redacted>";

  /**
   * Values shorter than this are left alone: a two-letter header value is no secret, and scrubbing
   * it would garble messages.
   */
  private static final int MIN_SECRET_LENGTH = 3;

  /** How loadgen ends a server's text that it cut short. */
  private static final String CUT = "...";

  private final List<String> secrets;

  private SecretScrubber(List<String> secrets) {
    this.secrets = secrets;
  }

  /** The secrets of {@code endpoint}, and {@code HF_TOKEN} from {@code environment}. */
  public static SecretScrubber of(Endpoint endpoint, Map<String, String> environment) {
    List<String> values = new ArrayList<>();
    values.add(endpoint.apiKey());
    values.addAll(endpoint.headers().values());
    values.add(environment.get("HF_TOKEN"));
    values.add(environment.get("OPENAI_API_KEY"));
    List<String> secrets = new ArrayList<>();
    for (String value : values) {
      if (value == null || value.strip().length() < MIN_SECRET_LENGTH) {
        continue;
      }
      for (String form : List.of(value, value.strip(), jsonEscaped(value))) {
        if (!secrets.contains(form)) {
          secrets.add(form);
        }
      }
    }
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretScrubber(List.copyOf(secrets));
  }

  /** {@code text} with every secret replaced; null for null. */
  public String scrub(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String scrubbed = text;
    for (String secret : secrets) {
      if (scrubbed.contains(secret)) {
        scrubbed = scrubbed.replace(secret, REDACTED);
      }
    }
    return scrubbed.contains(CUT) ? scrubCutSecrets(scrubbed) : scrubbed;
  }

  /**
   * Replaces the start of a secret that a message was cut in (loadgen cuts a server's error text to
   * a line, ending it with {@value #CUT}): {@code X-Api-Key: sk-ab...} would otherwise show part of
   * the key.
   */
  private String scrubCutSecrets(String text) {
    StringBuilder out = new StringBuilder(text);
    for (int cut = out.indexOf(CUT); cut >= 0; cut = out.indexOf(CUT, cut + CUT.length())) {
      for (String secret : secrets) {
        int longest = Math.min(secret.length() - 1, cut);
        int found = 0;
        for (int k = longest; k >= MIN_SECRET_LENGTH && found == 0; k--) {
          if (out.substring(cut - k, cut).equals(secret.substring(0, k))) {
            found = k;
          }
        }
        if (found > 0) {
          out.replace(cut - found, cut, REDACTED);
          cut += REDACTED.length() - found;
        }
      }
    }
    return out.toString();
  }

  private static String jsonEscaped(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '/' -> out.append("\\/");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
