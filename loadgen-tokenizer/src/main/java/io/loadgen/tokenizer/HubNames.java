package io.loadgen.tokenizer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The names the Hugging Face Hub and its cache use, checked before any of them becomes part of a
 * path or URL: a name from the command line or from a server header must never reach outside the
 * cache folder.
 */
final class HubNames {
  /** The revision huggingface_hub uses when none is given. */
  static final String DEFAULT_REVISION = "main";

  // The Hub's own rule: one or two parts of letters, digits, '.', '_', '-', neither starting nor
  // ending with '.' or '-', no "--" or ".." anywhere, at most 96 characters.
  private static final Pattern REPO_PART =
      Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?");
  private static final Pattern COMMIT_HASH = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final int MAX_REPO_ID_LENGTH = 96;
  private static final int MAX_REVISION_LENGTH = 256;

  private HubNames() {}

  /**
   * Whether {@code spec} reads as {@code org/name} or {@code name}. Names ending in {@code .json}
   * are taken for a mistyped path instead, so that {@code --tokenizer tokenzier.json} still says
   * which file is missing rather than asking the Hub for a repo of that name.
   */
  static boolean isRepoId(String spec) {
    if (spec.length() > MAX_REPO_ID_LENGTH
        || spec.contains("--")
        || spec.contains("..")
        || spec.endsWith(".json")) {
      return false;
    }
    String[] parts = spec.split("/", -1);
    if (parts.length > 2) {
      return false;
    }
    for (String part : parts) {
      if (!REPO_PART.matcher(part).matches()) {
        return false;
      }
    }
    return true;
  }

  static boolean isCommitHash(String revision) {
    return COMMIT_HASH.matcher(revision).matches();
  }

  /**
   * Whether {@code revision} can name a branch, tag or commit and be used as a path below {@code
   * refs/}: segments of safe characters, none of them {@code .} or {@code ..}. Pull-request refs
   * such as {@code refs/pr/1} have several segments.
   */
  static boolean isValidRevision(String revision) {
    if (revision.isEmpty() || revision.length() > MAX_REVISION_LENGTH) {
      return false;
    }
    for (String segment : revision.split("/", -1)) {
      if (!isSafeSegment(segment)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code name} is safe as one file or folder name: no separator, not {@code .} or {@code
   * ..}.
   */
  static boolean isSafeSegment(String name) {
    return name != null
        && SAFE_SEGMENT.matcher(name).matches()
        && !name.equals(".")
        && !name.equals("..");
  }

  /** The cache folder huggingface_hub keeps a model repo in: {@code models--org--name}. */
  static String repoFolder(String repoId) {
    return "models--" + repoId.replace("/", "--");
  }

  static String sha256Hex(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
