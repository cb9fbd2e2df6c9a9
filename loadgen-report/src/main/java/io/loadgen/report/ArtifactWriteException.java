package io.loadgen.report;

import io.loadgen.core.LoadgenException;
import java.nio.file.Path;

/** An export could not be written; the message names the path, why, and what to do. */
public final class ArtifactWriteException extends LoadgenException {
  private static final long serialVersionUID = 1L;

  public ArtifactWriteException(Path path, String why, Throwable cause) {
    super(
        "cannot write "
            + path.toAbsolutePath().normalize()
            + ": "
            + why
            + "; pass --artifact-dir a writable folder",
        cause);
  }
}
