package io.loadgen.tokenizer;

/**
 * A {@link TokenLengthDistribution} was asked for with an impossible mean or standard deviation.
 * The message says which and what it got; a caller that knows the flag or field the numbers came
 * from names it in front. The CLI exits with status 2 (a usage error).
 *
 * <p>It is an {@link IllegalArgumentException}, as a bad argument to a record constructor is, so
 * callers that catch that keep working; the CLI tells it apart from one thrown by a bug.
 */
public final class TokenLengthException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TokenLengthException(String message) {
    super(message);
  }
}
