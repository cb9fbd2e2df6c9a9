package io.loadgen.tokenizer;

/**
 * A tokenizer could not be found or loaded. The message is written for the user: it names what was
 * asked for, where loadgen looked and what to pass instead.
 */
public final class TokenizerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TokenizerException(String message) {
    super(message);
  }

  public TokenizerException(String message, Throwable cause) {
    super(message, cause);
  }
}
