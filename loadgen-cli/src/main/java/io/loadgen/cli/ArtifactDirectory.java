package io.loadgen.cli;

import io.loadgen.core.LoadgenException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates a run's artifacts folder before any load, so an unwritable one fails in one line at once.
 */
final class ArtifactDirectory {
  private ArtifactDirectory() {}

  static Path create(Path directory) {
    try {
      Files.createDirectories(directory);
      Path probe = Files.createTempFile(directory, ".write-check", ".tmp");
      Files.delete(probe);
      return directory;
    } catch (AccessDeniedException e) {
      throw unwritable(directory, "permission denied");
    } catch (FileAlreadyExistsException e) {
      throw unwritable(directory, "a file is in the way (" + e.getFile() + ")");
    } catch (FileSystemException e) {
      throw unwritable(
          directory, e.getReason() != null ? e.getReason() : "cannot create " + e.getFile());
    } catch (IOException | SecurityException e) {
      throw unwritable(directory, e.getMessage());
    }
  }

  private static LoadgenException unwritable(Path directory, String why) {
    return new LoadgenException(
        "cannot write artifacts to "
            + directory.toAbsolutePath().normalize()
            + ": "
            + why
            + "; pass --artifact-dir a writable folder");
  }
}
