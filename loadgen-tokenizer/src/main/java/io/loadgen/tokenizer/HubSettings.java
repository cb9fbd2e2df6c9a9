package io.loadgen.tokenizer;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What huggingface_hub reads from the environment, read the same way so that loadgen shares the
 * cache and credentials a user already has.
 *
 * <p>{@link #toString()} never shows the token: these settings end up in messages and logs.
 *
 * @param cacheRoot the folder holding {@code models--org--name} folders
 * @param endpoint the Hub's base URL, without a trailing slash
 * @param token the access token, or {@code null}
 * @param tokenVariable the variable the token came from, named in messages; {@code HF_TOKEN} when
 *     there is no token, as that is the one to set
 * @param offline whether downloads are forbidden
 */
record HubSettings(
    Path cacheRoot, String endpoint, String token, String tokenVariable, boolean offline) {
  static final String DEFAULT_ENDPOINT = "https://huggingface.co";

  private static final Set<String> TRUE_VALUES = Set.of("1", "true", "yes", "on");

  /**
   * The settings in {@code env}, with {@code home} standing for {@code ~}. The cache root is {@code
   * HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
   * {@code ~/.cache/huggingface/hub}: huggingface_hub's order.
   */
  static HubSettings from(Map<String, String> env, Path home) {
    Path cacheRoot;
    if (isSet(env, "HF_HUB_CACHE")) {
      cacheRoot = expandHome(env.get("HF_HUB_CACHE"), home);
    } else if (isSet(env, "HF_HOME")) {
      cacheRoot = expandHome(env.get("HF_HOME"), home).resolve("hub");
    } else if (isSet(env, "XDG_CACHE_HOME")) {
      cacheRoot = expandHome(env.get("XDG_CACHE_HOME"), home).resolve("huggingface").resolve("hub");
    } else {
      cacheRoot = home.resolve(".cache").resolve("huggingface").resolve("hub");
    }
    String endpoint = isSet(env, "HF_ENDPOINT") ? env.get("HF_ENDPOINT").strip() : DEFAULT_ENDPOINT;
    while (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    // HUGGING_FACE_HUB_TOKEN is the older name; huggingface_hub still reads it after HF_TOKEN.
    String tokenVariable =
        isSet(env, "HF_TOKEN") || !isSet(env, "HUGGING_FACE_HUB_TOKEN")
            ? "HF_TOKEN"
            : "HUGGING_FACE_HUB_TOKEN";
    String token = isSet(env, tokenVariable) ? env.get(tokenVariable).strip() : null;
    boolean offline =
        isSet(env, "HF_HUB_OFFLINE")
            && TRUE_VALUES.contains(env.get("HF_HUB_OFFLINE").strip().toLowerCase(Locale.ROOT));
    return new HubSettings(
        cacheRoot.toAbsolutePath().normalize(), endpoint, token, tokenVariable, offline);
  }

  private static boolean isSet(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }

  private static Path expandHome(String value, Path home) {
    String path = value.strip();
    if (path.equals("~")) {
      return home;
    }
    if (path.startsWith("~/")) {
      return home.resolve(path.substring(2));
    }
    return Path.of(path);
  }

  /**
   * {@code text} with every occurrence of the token masked: a last guard, so that no message built
   * from a server's answer or an exception can carry the token to a terminal or a log.
   */
  String redact(String text) {
    if (text == null || token == null || token.isEmpty()) {
      return text;
    }
    return text.replace(token, "***");
  }

  @Override
  public String toString() {
    return "HubSettings[cacheRoot="
        + cacheRoot
        + ", endpoint="
        + endpoint
        + ", token="
        + (token == null ? "none" : tokenVariable + " (hidden)")
        + ", offline="
        + offline
        + "]";
  }
}
