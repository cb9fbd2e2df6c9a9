package io.loadgen.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The Hugging Face cache, in the layout huggingface_hub reads and writes, so that a tokenizer
 * downloaded by either is found by the other:
 *
 * <pre>
 * &lt;root&gt;/models--org--name/blobs/&lt;etag&gt;                     the file's bytes
 * &lt;root&gt;/models--org--name/snapshots/&lt;commit&gt;/tokenizer.json  a relative symlink to the blob
 * &lt;root&gt;/models--org--name/refs/&lt;branch or tag&gt;               the commit it points at
 * </pre>
 *
 * <p>Every file is written under a temporary name and moved into place, so a reader (another
 * loadgen, or Python) never sees half a file, and two writers of the same blob leave one whole
 * copy.
 */
final class HubCache {
  static final String FILE_NAME = "tokenizer.json";

  private final Path root;

  HubCache(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path snapshotsFolder(String repoId) {
    return repoFolder(repoId).resolve("snapshots");
  }

  private Path repoFolder(String repoId) {
    return root.resolve(HubNames.repoFolder(repoId));
  }

  /** The cached {@code tokenizer.json} of {@code repoId} at {@code revision}, if there is one. */
  Optional<Path> find(String repoId, String revision) {
    String commit = HubNames.isCommitHash(revision) ? revision : readRef(repoId, revision);
    if (commit != null) {
      Path file = snapshotsFolder(repoId).resolve(commit).resolve(FILE_NAME);
      return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
    // huggingface_hub writes no ref when a download names a commit hash, and caches copied into
    // images or between machines sometimes lose refs/. With one snapshot holding a tokenizer there
    // is nothing to confuse it with, so asking for the default branch gets it. A named branch or
    // tag is never guessed: it must not silently become some other commit.
    if (revision.equals(HubNames.DEFAULT_REVISION)) {
      List<Path> candidates = snapshotsHoldingTokenizer(repoId);
      if (candidates.size() == 1) {
        return Optional.of(candidates.get(0));
      }
    }
    return Optional.empty();
  }

  private String readRef(String repoId, String revision) {
    try {
      String commit =
          Files.readString(
                  repoFolder(repoId).resolve("refs").resolve(revision), StandardCharsets.UTF_8)
              .strip();
      // A ref names a folder below snapshots/: a damaged one must not lead anywhere else.
      return HubNames.isSafeSegment(commit) ? commit : null;
    } catch (IOException e) {
      return null;
    }
  }

  private List<Path> snapshotsHoldingTokenizer(String repoId) {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> snapshots =
        Files.newDirectoryStream(snapshotsFolder(repoId), Files::isDirectory)) {
      for (Path snapshot : snapshots) {
        Path file = snapshot.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
          found.add(file);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return found;
  }

  /**
   * Stores a downloaded {@code tokenizer.json} as huggingface_hub would and returns its snapshot
   * path. Names the server did not give are derived: the commit from {@code revision} when that is
   * a commit hash, else from the content's SHA-256, as is the blob's name when there is no ETag.
   *
   * @throws IOException when the cache cannot be written
   */
  Path store(String repoId, String revision, HubDownloader.Download download) throws IOException {
    byte[] content = download.content();
    String contentHash = HubNames.sha256Hex(content);
    String commit =
        download.commit() != null
            ? download.commit()
            : HubNames.isCommitHash(revision) ? revision : contentHash;
    String blobName = download.etag() != null ? download.etag() : contentHash;

    Path repo = repoFolder(repoId);
    Path blob = repo.resolve("blobs").resolve(blobName);
    writeAtomically(blob, content);

    Path snapshotFile = snapshotsFolder(repoId).resolve(commit).resolve(FILE_NAME);
    linkOrCopy(snapshotFile, blob);

    if (!HubNames.isCommitHash(revision)) {
      writeAtomically(
          repo.resolve("refs").resolve(revision), commit.getBytes(StandardCharsets.UTF_8));
    }
    return snapshotFile;
  }

  private static void writeAtomically(Path target, byte[] content) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".incomplete");
    try {
      Files.write(temp, content);
      moveIntoPlace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * A relative link, as huggingface_hub makes, keeps the cache valid when its folder is moved or
   * mounted elsewhere. Where links cannot be made (Windows without developer mode, some mounted
   * file systems) a copy works the same for every reader.
   */
  private static void linkOrCopy(Path snapshotFile, Path blob) throws IOException {
    Path folder = snapshotFile.getParent();
    Files.createDirectories(folder);
    Path temp = folder.resolve("." + FILE_NAME + "." + UUID.randomUUID() + ".incomplete");
    try {
      try {
        Files.createSymbolicLink(temp, folder.relativize(blob));
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        Files.deleteIfExists(temp);
        Files.copy(blob, temp);
      }
      moveIntoPlace(temp, snapshotFile);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
