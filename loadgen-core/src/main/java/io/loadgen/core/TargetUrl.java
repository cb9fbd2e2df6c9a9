package io.loadgen.core;

import io.loadgen.sim.SimPreset;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Parses a target URL as genai-perf does: {@code host:port} without a scheme is plain HTTP; and
 * {@code sim://PRESET} names an embedded simulated server.
 */
final class TargetUrl {
  static final String SIM_SCHEME = "sim";

  private TargetUrl() {}

  /** A server's base URL, or {@code sim://PRESET}. */
  static URI parse(String raw) {
    return parse("url", raw, true);
  }

  /** An HTTP URL of something that is not a target (a Prometheus endpoint). */
  static URI parseHttp(String setting, String raw) {
    return parse(setting, raw, false);
  }

  private static URI parse(String setting, String raw, boolean simAllowed) {
    if (raw == null || raw.isBlank()) {
      throw new ProfileConfigException(setting, "is empty: give a URL, e.g. http://localhost:8000");
    }
    String text = raw.trim();
    if (simAllowed && text.toLowerCase(Locale.ROOT).startsWith(SIM_SCHEME + "://")) {
      return simulator(text.substring(SIM_SCHEME.length() + 3));
    }
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ProfileConfigException(setting, "'" + raw + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ProfileConfigException(
          setting,
          "'"
              + raw
              + "': use http://, https:// or host:port"
              + (simAllowed ? ", or sim://PRESET for the embedded simulated server" : ""));
    }
    if (uri.getHost() == null) {
      throw new ProfileConfigException(setting, "'" + raw + "' names no host, e.g. localhost:8000");
    }
    if (uri.getRawAuthority() != null && uri.getRawAuthority().endsWith(":")) {
      // URI reads "host:" as no port at all, which would go to port 80 without a word.
      throw new ProfileConfigException(
          setting, "'" + raw + "' has no port after the colon; give one from 1 to 65535");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      // URI takes any number of digits; the socket address would refuse it only when the run
      // starts.
      throw new ProfileConfigException(
          setting, "'" + raw + "': port " + uri.getPort() + " is out of range; use 1 to 65535");
    }
    if (uri.getUserInfo() != null) {
      throw new ProfileConfigException(
          setting, "must not carry credentials: send them as a header or API key");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("/+$", "");
    try {
      return new URI(scheme, null, uri.getHost(), uri.getPort(), path, null, null);
    } catch (URISyntaxException e) {
      throw new ProfileConfigException(setting, "'" + raw + "' is not a URL: " + e.getReason());
    }
  }

  private static URI simulator(String rest) {
    String preset = rest.replaceFirst("/+$", "");
    if (preset.isEmpty()) {
      preset = "default";
    }
    if (SimPreset.named(preset).isEmpty()) {
      throw new ProfileConfigException(
          "url",
          "'sim://"
              + rest
              + "': unknown simulator preset '"
              + preset
              + "'; use one of "
              + String.join(", ", SimPreset.names()));
    }
    return URI.create(SIM_SCHEME + "://" + preset);
  }

  /** The preset a {@code sim://} URL names, or null for any other URL. */
  static String simulatorPreset(URI url) {
    return SIM_SCHEME.equals(url.getScheme()) ? url.getHost() : null;
  }
}
