package io.loadgen.sim.internal.engine;

/**
 * One request inside the engine. Confined to the engine's thread, but for {@link #sink}, which the
 * driver hands to the request's event loop.
 */
public final class Sequence {
  /** Where a sequence is. */
  public enum State {
    WAITING,
    RUNNING,
    FINISHED,
    CANCELLED
  }

  private final long id;
  private final int promptTokens;
  private final int outputTokens;
  private final long arrivalNanos;
  private final TokenSink sink;

  State state = State.WAITING;
  int generated;

  /**
   * Tokens to compute before the next token: the prompt, or prompt plus output after preemption.
   */
  long prefillTarget;

  long prefilled;
  long blocksHeld;
  long lastTokenNanos = -1;
  int preemptions;

  /**
   * @param outputTokens tokens to generate before the sequence finishes
   * @param arrivalNanos when it reached the engine, on the engine's clock
   */
  public Sequence(long id, int promptTokens, int outputTokens, long arrivalNanos, TokenSink sink) {
    if (promptTokens < 0 || outputTokens < 1) {
      throw new IllegalArgumentException("a sequence needs prompt >= 0 and output >= 1 tokens");
    }
    this.id = id;
    this.promptTokens = promptTokens;
    this.outputTokens = outputTokens;
    this.arrivalNanos = arrivalNanos;
    this.sink = sink;
    this.prefillTarget = promptTokens;
  }

  public long id() {
    return id;
  }

  public int promptTokens() {
    return promptTokens;
  }

  public int outputTokens() {
    return outputTokens;
  }

  public long arrivalNanos() {
    return arrivalNanos;
  }

  public TokenSink sink() {
    return sink;
  }

  public State state() {
    return state;
  }

  public int generated() {
    return generated;
  }

  public long blocksHeld() {
    return blocksHeld;
  }

  public int preemptions() {
    return preemptions;
  }

  boolean prefilling() {
    return prefilled < prefillTarget;
  }

  /** Tokens whose keys and values the cache holds for this sequence now. */
  long cachedTokens() {
    return prefilling() ? prefilled : (long) promptTokens + generated;
  }
}
