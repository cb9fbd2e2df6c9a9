package io.loadgen.tokenizer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Downloads one repo's {@code tokenizer.json} from the Hub the way huggingface_hub does: {@code GET
 * <endpoint>/<repo>/resolve/<revision>/tokenizer.json}, following redirects (renamed repos, and
 * large files served from a CDN), the commit taken from {@code X-Repo-Commit} and the blob's name
 * from {@code X-Linked-Etag} or {@code ETag} on the Hub's own answer.
 *
 * <p>Redirects are followed here rather than by {@link HttpClient} so that the token is sent only
 * to the Hub's origin: a CDN's presigned URL needs none, and must not receive one.
 */
final class HubDownloader {
  private static final int MAX_REDIRECTS = 10;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final HubSettings settings;

  HubDownloader(HubSettings settings) {
    this.settings = settings;
  }

  /**
   * A downloaded file.
   *
   * @param commit the commit the Hub resolved the revision to, or {@code null} when it did not say
   * @param etag the blob name the Hub gave (quotes stripped), or {@code null} when it gave none
   *     usable as a file name
   */
  record Download(byte[] content, String commit, String etag) {}

  /**
   * Why a download failed, as a phrase for the user ({@code "https://huggingface.co unreachable:
   * ..."}): never holding the token.
   */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  Download fetch(String repoId, String revision) throws Unavailable, InterruptedException {
    URI hub = hubUri();
    URI uri =
        hub.resolve(
            hub.getRawPath()
                + "/"
                + repoId
                + "/resolve/"
                + URLEncoder.encode(revision, StandardCharsets.UTF_8)
                + "/"
                + HubCache.FILE_NAME);
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String commit = null;
    String etag = null;
    for (int redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
      String where = redirects == 0 ? settings.endpoint() : origin(uri);
      HttpResponse<byte[]> response = send(client, uri, sameOrigin(uri, hub), where);
      HttpHeaders headers = response.headers();
      Optional<String> repoCommit = headers.firstValue("X-Repo-Commit");
      int status = response.statusCode();
      // The Hub's answer carries X-Repo-Commit; a CDN's final answer has an ETag of its own
      // making, which huggingface_hub does not use, so the first answer that names a blob wins.
      if (commit == null && repoCommit.isPresent()) {
        commit =
            repoCommit
                .filter(c -> HubNames.isCommitHash(c.strip().toLowerCase(Locale.ROOT)))
                .map(c -> c.strip().toLowerCase(Locale.ROOT))
                .orElse(null);
      }
      if (etag == null && (repoCommit.isPresent() || status == 200)) {
        etag = blobName(headers);
      }
      if (status == 200) {
        return new Download(response.body(), commit, etag);
      }
      if (status >= 300 && status < 400 && status != 304) {
        uri = redirectTarget(uri, headers, status, where);
        continue;
      }
      throw new Unavailable(refusal(status, headers, repoId, revision, where), null);
    }
    throw new Unavailable(
        settings.endpoint() + " redirected more than " + MAX_REDIRECTS + " times", null);
  }

  private URI hubUri() throws Unavailable {
    try {
      URI uri = new URI(settings.endpoint());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // Reported below, as for any other URL loadgen cannot use.
    }
    throw new Unavailable("HF_ENDPOINT '" + settings.endpoint() + "' is not an http(s) URL", null);
  }

  private HttpResponse<byte[]> send(HttpClient client, URI uri, boolean withToken, String where)
      throws Unavailable, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("User-Agent", "loadgen").GET();
    if (withToken && settings.token() != null) {
      if (!isHeaderSafe(settings.token())) {
        // HttpClient's own complaint could quote the value; this one names only the variable.
        throw new Unavailable(settings.tokenVariable() + " holds characters no token has", null);
      }
      request.header("Authorization", "Bearer " + settings.token());
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new Unavailable(where + " unreachable: " + describe(e), e);
    }
  }

  private static boolean isHeaderSafe(String token) {
    return token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  private static String blobName(HttpHeaders headers) {
    String value =
        headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag")).orElse(null);
    if (value == null) {
      return null;
    }
    String name = value.strip();
    if (name.startsWith("W/")) {
      name = name.substring(2);
    }
    name = name.replace("\"", "");
    // The name becomes a file below blobs/: anything a server sends that is not a plain name is
    // ignored, and the content's hash names the blob instead.
    return HubNames.isSafeSegment(name) ? name : null;
  }

  private static URI redirectTarget(URI from, HttpHeaders headers, int status, String where)
      throws Unavailable {
    String location = headers.firstValue("Location").orElse(null);
    if (location == null) {
      throw new Unavailable(
          where + " answered HTTP " + status + " with no Location to follow", null);
    }
    try {
      URI target = from.resolve(location.strip());
      String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && target.getHost() != null) {
        return target;
      }
    } catch (IllegalArgumentException e) {
      // Reported below.
    }
    throw new Unavailable(where + " redirected to a URL loadgen cannot follow", null);
  }

  private String refusal(
      int status, HttpHeaders headers, String repoId, String revision, String where) {
    String errorCode = headers.firstValue("X-Error-Code").orElse("");
    String prefix = where + " answered HTTP " + status + ": ";
    if (status == 401 || status == 403) {
      // The Hub answers 401 for a repo that does not exist too, so as not to reveal private ones.
      String what =
          errorCode.equals("RepoNotFound")
              ? "there is no repo '" + repoId + "', or it is private"
              : "the model is gated or private";
      return prefix + what + "; " + tokenAdvice();
    }
    if (status == 404) {
      switch (errorCode) {
        case "RepoNotFound":
          return prefix + "there is no repo '" + repoId + "'";
        case "RevisionNotFound":
          return prefix + "'" + repoId + "' has no revision '" + revision + "'";
        case "EntryNotFound":
          return prefix + "'" + repoId + "' has no tokenizer.json at revision '" + revision + "'";
        default:
          return prefix
              + "there is no repo '"
              + repoId
              + "', no revision '"
              + revision
              + "' or no tokenizer.json in it";
      }
    }
    return prefix + "the download failed";
  }

  private String tokenAdvice() {
    if (settings.token() == null) {
      return "set HF_TOKEN to a token with read access (for a gated model, accept its licence on"
          + " the Hub first)";
    }
    return "the token in "
        + settings.tokenVariable()
        + " may not read it (for a gated model, accept"
        + " its licence on the Hub with that account)";
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** Scheme, host and port only: a URL's user info or presigned query must not reach a message. */
  private static String origin(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  /**
   * The most telling account of {@code e}: HttpClient often throws with no message of its own and a
   * cause that names only a channel state, so the usual network failures get plain words.
   */
  private static String describe(Throwable e) {
    boolean connectFailed = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage().replaceAll("\\s+", " ").strip();
      }
      if (t instanceof UnresolvedAddressException) {
        return "unknown host";
      }
      connectFailed |= t instanceof ConnectException;
    }
    return connectFailed ? "could not connect" : e.getClass().getSimpleName();
  }
}
