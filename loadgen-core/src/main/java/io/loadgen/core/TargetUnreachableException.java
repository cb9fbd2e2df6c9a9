package io.loadgen.core;

import java.util.Optional;

/**
 * The server could not be reached (unknown host, refused connection, timeout) or does not speak the
 * OpenAI API. The CLI exits with status 1 (a run failure), after writing the exports of what the
 * run measured when it got that far ({@link #measured()}).
 */
public final class TargetUnreachableException extends LoadgenException {
  private static final long serialVersionUID = 1L;

  /** Not serialised: a result is for the process that ran it. */
  private final transient ProfileResult measured;

  public TargetUnreachableException(String message) {
    super(message);
    this.measured = null;
  }

  public TargetUnreachableException(String message, Throwable cause) {
    super(message, cause);
    this.measured = null;
  }

  /**
   * A run that loadgen stopped because of what the target answered.
   *
   * @param measured what the run measured until then: the failures that stopped it counted, its
   *     summary's {@link RunSummary#abortReason()} this message
   */
  public TargetUnreachableException(String message, ProfileResult measured) {
    super(message);
    this.measured = measured;
  }

  /**
   * What the run measured before it was stopped, to export; empty when it stopped before sending
   * (nothing listening at the target, say) or after being deserialised.
   */
  public Optional<ProfileResult> measured() {
    return Optional.ofNullable(measured);
  }
}
