package io.loadgen.report;

import io.loadgen.core.LoadgenException;

/**
 * A folder given to {@link Comparison} is not a run's folder that can be read: not a folder, no
 * {@code profile_export_genai_perf.json} in it, or one that is not that export. The message names
 * the folder and what is wrong with it.
 */
public final class RunDirectoryException extends LoadgenException {
  private static final long serialVersionUID = 1L;

  public RunDirectoryException(String message) {
    super(message);
  }

  public RunDirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
