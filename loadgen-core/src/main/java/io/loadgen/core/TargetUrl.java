package io.loadgen.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Parses {@code -u/--url} as genai-perf does: {@code host:port} without a scheme is plain HTTP. */
final class TargetUrl {
  private TargetUrl() {}

  static URI parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new ProfileConfigException("no target: pass -u/--url, e.g. -u localhost:8000");
    }
    String text = raw.trim();
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ProfileConfigException("-u/--url '" + raw + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ProfileConfigException(
          "-u/--url '" + raw + "': use http://, https://, host:port, or sim://PRESET for the embedded server");
    }
    if (uri.getHost() == null) {
      throw new ProfileConfigException("-u/--url '" + raw + "' names no host; e.g. -u localhost:8000");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      // URI takes any number of digits; the socket address would refuse it only when the run starts.
      throw new ProfileConfigException(
          "-u/--url '" + raw + "': port " + uri.getPort() + " is out of range; use 1 to 65535");
    }
    if (uri.getUserInfo() != null) {
      throw new ProfileConfigException(
          "-u/--url must not carry credentials; pass them with --header or OPENAI_API_KEY");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("/+$", "");
    try {
      return new URI(scheme, null, uri.getHost(), uri.getPort(), path, null, null);
    } catch (URISyntaxException e) {
      throw new ProfileConfigException("-u/--url '" + raw + "' is not a URL: " + e.getReason());
    }
  }
}
