package io.loadgen.report;

import io.loadgen.core.LoadgenException;

/**
 * Folders given to {@link Merge} cannot be merged into one run: none given, runs of different
 * workloads, a run folder given with a sweep's, or an output folder that is one of them. The
 * message, one line, names the folders and what to do. (A folder that is not a run's is a {@link
 * RunDirectoryException}.)
 */
public final class MergeException extends LoadgenException {
  private static final long serialVersionUID = 1L;

  public MergeException(String message) {
    super(message);
  }
}
