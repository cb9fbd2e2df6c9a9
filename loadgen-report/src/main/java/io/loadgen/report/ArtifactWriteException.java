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

  private ArtifactWriteException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code first}'s failure, when {@code others} more exports failed after it. */
  ArtifactWriteException(ArtifactWriteException first, int others) {
    this(
        first.getMessage() + " (and " + others + " more export" + (others == 1 ? "" : "s") + ")",
        first);
  }

  /**
   * {@code path}, of a comparison's output, could not be written: said without the profile's hint
   * of an artifacts folder, which a comparison does not have.
   */
  static ArtifactWriteException comparisonOutput(Path path, String why, Throwable cause) {
    return new ArtifactWriteException(
        "cannot write " + path.toAbsolutePath().normalize() + ": " + why, cause);
  }

  /**
   * The process had no file descriptor left for {@code path}: the folder is not at fault, the
   * open-file limit is.
   */
  static ArtifactWriteException outOfOpenFiles(Path path, Throwable cause) {
    return new ArtifactWriteException(
        "cannot write "
            + path.toAbsolutePath().normalize()
            + ": the process has run out of open files; raise the limit (ulimit -n) or lower"
            + " the concurrency",
        cause);
  }

  /**
   * Java's graphics could not draw the charts into {@code plots}: on a headless JRE that is a
   * missing font library or font, which the folder cannot fix.
   */
  static ArtifactWriteException cannotDraw(Path plots, Throwable cause) {
    return new ArtifactWriteException(
        "cannot draw the plots in "
            + plots.toAbsolutePath().normalize()
            + ": Java's graphics failed ("
            + cause
            + "); a headless JRE needs fontconfig and a font (Debian: apt-get install fontconfig"
            + " fonts-dejavu-core); the other exports are written",
        cause);
  }

  /** Whether {@code e} is the system's EMFILE ("Too many open files"), as Linux and macOS say. */
  static boolean outOfOpenFiles(Throwable e) {
    return e.getMessage() != null && e.getMessage().contains("Too many open files");
  }
}
