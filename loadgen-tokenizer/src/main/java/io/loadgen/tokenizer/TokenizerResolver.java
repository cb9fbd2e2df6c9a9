package io.loadgen.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the {@code tokenizer.json} that {@code --tokenizer X} names, looking where a Hugging Face
 * user would expect, in this order:
 *
 * <ol>
 *   <li>X is an existing path: a tokenizer file (any name), or a folder holding {@code
 *       tokenizer.json}.
 *   <li>X is a Hub repo id ({@code org/name} or {@code name}) cached locally at the revision asked
 *       for, in the cache huggingface_hub keeps: {@code HF_HUB_CACHE}, else {@code $HF_HOME/hub},
 *       else {@code $XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub}. A
 *       branch or tag name is read from {@code refs/}; a 40-character commit hash names its
 *       snapshot directly.
 *   <li>Otherwise {@code tokenizer.json} is downloaded from the Hub ({@code HF_ENDPOINT}, default
 *       {@value HubSettings#DEFAULT_ENDPOINT}) into that cache, in the layout huggingface_hub
 *       writes, so that either tool finds what the other fetched. {@code HF_TOKEN} (or the older
 *       {@code HUGGING_FACE_HUB_TOKEN}) is sent as a bearer token, to the Hub only; setting {@code
 *       HF_HUB_OFFLINE=1} forbids the download.
 * </ol>
 *
 * <p>Each failure is a {@link TokenizerException} with a one-line message naming where loadgen
 * looked and how to pass a path instead. The token never appears in a message, a cause or {@link
 * #toString()}.
 *
 * <p>The environment is read once, when the resolver is made. Instances are immutable and safe to
 * share between threads.
 */
public final class TokenizerResolver {
  /** The revision used when none is given: the Hub's default branch. */
  public static final String DEFAULT_REVISION = HubNames.DEFAULT_REVISION;

  private static final String HOW_TO_PASS_A_PATH =
      "pass --tokenizer a path to a tokenizer.json or to a folder holding one";

  private final HubSettings settings;
  private final HubCache cache;
  private final HubDownloader downloader;

  private TokenizerResolver(HubSettings settings) {
    this.settings = settings;
    this.cache = new HubCache(settings.cacheRoot());
    this.downloader = new HubDownloader(settings);
  }

  /** A resolver reading this process's environment and {@code user.home}. */
  public static TokenizerResolver fromEnvironment() {
    return of(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * A resolver reading the Hugging Face variables from {@code env} rather than from the process,
   * with {@code home} standing for {@code ~}.
   */
  public static TokenizerResolver of(Map<String, String> env, Path home) {
    return new TokenizerResolver(HubSettings.from(env, home));
  }

  /**
   * The {@code tokenizer.json} that {@code spec} names at {@code revision}, downloading it when it
   * is a repo id that is not cached. The revision matters only for repo ids.
   *
   * @param spec a path, or a Hub repo id such as {@code meta-llama/Meta-Llama-3-8B-Instruct}
   * @param revision a branch, tag or commit hash; {@code null} or blank for {@value
   *     #DEFAULT_REVISION}
   * @return a readable file; for a repo id, its snapshot path in the cache (often a symlink)
   * @throws TokenizerException when there is no such file and none can be downloaded
   * @throws IllegalArgumentException when {@code spec} is {@code null} or blank
   */
  public Path resolve(String spec, String revision) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("no tokenizer named");
    }
    Path path = asPath(spec);
    if (path != null) {
      if (Files.isRegularFile(path)) {
        return path;
      }
      Path inFolder = path.resolve(HubCache.FILE_NAME);
      if (Files.isDirectory(path) && Files.isRegularFile(inFolder)) {
        return inFolder;
      }
    }
    if (!HubNames.isRepoId(spec)) {
      String lookedFor =
          path == null
              ? spec
              : (Files.isDirectory(path) ? path.resolve(HubCache.FILE_NAME) : path)
                  .toAbsolutePath()
                  .toString();
      throw new TokenizerException(
          "tokenizer '"
              + spec
              + "' not found: "
              + HOW_TO_PASS_A_PATH
              + " (looked for "
              + lookedFor
              + ")");
    }
    return fromHub(spec, normalizedRevision(spec, revision), path);
  }

  private Path fromHub(String repoId, String revision, Path path) {
    Optional<Path> cached = cache.find(repoId, revision);
    if (cached.isPresent()) {
      return cached.get();
    }
    if (settings.offline()) {
      throw failure(notCached(repoId, revision, path, "HF_HUB_OFFLINE is set"), null);
    }
    HubDownloader.Download download;
    try {
      download = downloader.fetch(repoId, revision);
    } catch (HubDownloader.Unavailable e) {
      throw failure(notCached(repoId, revision, path, e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(
          "interrupted while downloading tokenizer '" + repoId + "' from " + settings.endpoint(),
          e);
    }
    try {
      return cache.store(repoId, revision, download);
    } catch (IOException e) {
      throw failure(
          "tokenizer '"
              + repoId
              + "' was downloaded but could not be written to the Hugging"
              + " Face cache "
              + cache.root()
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "): set HF_HUB_CACHE to a writable folder, or "
              + HOW_TO_PASS_A_PATH,
          e);
    }
  }

  private static String normalizedRevision(String repoId, String revision) {
    if (revision == null || revision.isBlank()) {
      return DEFAULT_REVISION;
    }
    String trimmed = revision.strip();
    // Commit folders are lower-case hex, as git prints them; an upper-case hash means the same
    // commit.
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (HubNames.isCommitHash(lower)) {
      return lower;
    }
    if (!HubNames.isValidRevision(trimmed)) {
      throw new TokenizerException(
          "revision '"
              + trimmed
              + "' of tokenizer '"
              + repoId
              + "' is not a"
              + " branch, tag or commit name: pass --tokenizer-revision a name such as main or v1.0, or a"
              + " 40-character commit hash");
    }
    return trimmed;
  }

  private String notCached(String repoId, String revision, Path path, String reason) {
    String atRevision = revision.equals(DEFAULT_REVISION) ? "" : " at revision '" + revision + "'";
    String folderToo =
        path != null && Files.isDirectory(path)
            ? " and " + path.toAbsolutePath() + ", a folder with no tokenizer.json"
            : "";
    return "tokenizer '"
        + repoId
        + "'"
        + atRevision
        + " is not in the Hugging Face cache (looked in "
        + cache.snapshotsFolder(repoId)
        + folderToo
        + ") and could not be downloaded ("
        + reason
        + "): "
        + HOW_TO_PASS_A_PATH;
  }

  /**
   * A failure whose message and causes cannot show the token, whatever a server or library said.
   */
  private TokenizerException failure(String message, Throwable cause) {
    String safeMessage = settings.redact(message).replaceAll("[\\r\\n]+", " ");
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !settings.redact(t.getMessage()).equals(t.getMessage())) {
        return new TokenizerException(safeMessage);
      }
    }
    return cause == null
        ? new TokenizerException(safeMessage)
        : new TokenizerException(safeMessage, cause);
  }

  private static Path asPath(String spec) {
    try {
      return Path.of(spec);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /** The folder holding {@code models--org--name} folders. */
  Path cacheRoot() {
    return cache.root();
  }

  @Override
  public String toString() {
    return "TokenizerResolver[cache="
        + settings.cacheRoot()
        + ", endpoint="
        + settings.endpoint()
        + ", token="
        + (settings.token() == null ? "none" : settings.tokenVariable() + " (hidden)")
        + ", offline="
        + settings.offline()
        + "]";
  }
}
