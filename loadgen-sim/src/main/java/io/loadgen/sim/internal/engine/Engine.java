package io.loadgen.sim.internal.engine;

import io.loadgen.sim.EngineSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A discrete-time model of a continuous-batching engine with a paged KV cache, after vLLM's
 * scheduler. Time is whatever the caller passes to {@link #step}: the real-time driver passes
 * {@link System#nanoTime()}, tests a virtual clock, and the same inputs give the same steps.
 *
 * <p>Each step, in order:
 *
 * <ol>
 *   <li>every running sequence past its prefill reserves the block its next token needs; when the
 *       cache is full, the most recently admitted sequence is preempted (its blocks freed, to be
 *       recomputed from its prompt and output so far when it is admitted again), as vLLM's
 *       recompute preemption does;
 *   <li>sequences still prefilling, then waiting ones in arrival order, get prefill chunks from the
 *       step's token budget; a waiting sequence is admitted only while the running count is under
 *       its limit and the cache has blocks for its whole prompt and first token;
 *   <li>the step takes {@link EngineSpec#stepNanos} for its batch; at its end every sequence in the
 *       batch that completed its prefill or was decoding emits one token, and those that reach
 *       their length finish and free their blocks.
 * </ol>
 *
 * Not thread-safe: one thread drives it.
 */
public final class Engine {
  private final EngineSpec spec;
  private final KvCache cache;
  private final EngineObserver observer;
  private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
  private final List<Sequence> running = new ArrayList<>();
  private long steps;
  private long stallEveryNanos;
  private long stallNanos;
  private long nextStallNanos = -1;

  public Engine(EngineSpec spec, EngineObserver observer) {
    this.spec = spec;
    this.cache = new KvCache(spec.kvBlockSizeTokens(), spec.kvBlocksTotal());
    this.observer = observer;
  }

  /**
   * Makes every step that starts {@code everyNanos} after the last stall wait {@code nanos} first.
   */
  public void stalls(long everyNanos, long nanos) {
    this.stallEveryNanos = everyNanos;
    this.stallNanos = nanos;
  }

  /** Whether the cache could ever hold this many tokens for one sequence. */
  public boolean couldEverHold(long tokens) {
    return cache.blocksFor(tokens) <= cache.totalBlocks();
  }

  /** Queues a sequence; it joins the batch at the next step that has room for it. */
  public void submit(Sequence sequence) {
    if (sequence.state != Sequence.State.WAITING) {
      throw new IllegalStateException("sequence " + sequence.id() + " was already submitted");
    }
    if (!couldEverHold((long) sequence.promptTokens() + sequence.outputTokens())) {
      throw new IllegalArgumentException(
          "sequence " + sequence.id() + " needs more KV blocks than the cache has");
    }
    waiting.addLast(sequence);
  }

  /** Drops a sequence whose client went away, freeing its blocks. */
  public void cancel(Sequence sequence) {
    if (sequence.state == Sequence.State.WAITING) {
      waiting.remove(sequence);
    } else if (sequence.state == Sequence.State.RUNNING) {
      running.remove(sequence);
      cache.release(sequence);
    } else {
      return;
    }
    sequence.state = Sequence.State.CANCELLED;
    observer.onCancelled(running.size(), waiting.size(), cache.usedBlocks(), cache.totalBlocks());
  }

  /** Whether a step would do anything. */
  public boolean hasWork() {
    return !running.isEmpty() || !waiting.isEmpty();
  }

  /**
   * Runs one step starting at {@code startNanos} (later, if a stall falls due). Returns null when
   * there is nothing to run.
   */
  public Step step(long startNanos) {
    if (stallEveryNanos > 0) {
      if (nextStallNanos < 0) {
        nextStallNanos = startNanos + stallEveryNanos;
      } else if (startNanos >= nextStallNanos) {
        startNanos += stallNanos;
        nextStallNanos = startNanos + stallEveryNanos;
      }
    }
    int budget = spec.maxBatchedTokens();
    reserveDecodeSlots();
    int decoding = 0;
    long cachedTokens = 0;
    for (Sequence s : running) {
      if (!s.prefilling()) {
        decoding++;
        cachedTokens += s.cachedTokens();
      }
    }
    budget -= decoding;
    long prefillTokens = 0;
    List<Sequence> prefilled = new ArrayList<>();
    // At most every running sequence prefills in a step, the newly admitted ones included.
    long[] chunks = new long[Math.min(running.size() + waiting.size(), spec.maxRunningSequences())];
    for (Sequence s : running) {
      if (s.prefilling() && budget > 0) {
        long chunk = Math.min(s.prefillTarget - s.prefilled, budget);
        budget -= chunk;
        chunks[prefilled.size()] = chunk;
        prefilled.add(s);
      }
    }
    while (budget > 0 && !waiting.isEmpty() && running.size() < spec.maxRunningSequences()) {
      Sequence s = waiting.peekFirst();
      if (!cache.tryHold(s, s.prefillTarget + 1)) {
        break;
      }
      waiting.pollFirst();
      s.state = Sequence.State.RUNNING;
      running.add(s);
      if (s.preemptions == 0) {
        observer.onPromptTokens(s.promptTokens());
      }
      long chunk = Math.min(s.prefillTarget - s.prefilled, budget);
      budget -= chunk;
      chunks[prefilled.size()] = chunk;
      prefilled.add(s);
    }
    for (int i = 0; i < prefilled.size(); i++) {
      prefillTokens += chunks[i];
      cachedTokens += prefilled.get(i).prefilled;
    }
    int batch = decoding + prefilled.size();
    if (batch == 0) {
      return null;
    }
    long endNanos = startNanos + spec.stepNanos(batch, cachedTokens, prefillTokens);
    for (int i = 0; i < prefilled.size(); i++) {
      prefilled.get(i).prefilled += chunks[i];
    }
    Step step = emit(startNanos, endNanos);
    steps++;
    observer.onStep(
        endNanos, running.size(), waiting.size(), cache.usedBlocks(), cache.totalBlocks());
    return step;
  }

  /** Gives each decoding sequence the block its next token needs, preempting the newest if none. */
  private void reserveDecodeSlots() {
    for (int i = 0; i < running.size(); i++) {
      Sequence s = running.get(i);
      if (s.prefilling()) {
        continue;
      }
      while (!cache.tryHold(s, s.cachedTokens() + 1)) {
        Sequence victim = running.get(running.size() - 1);
        preempt(victim);
        if (victim == s) {
          i--;
          break;
        }
      }
    }
  }

  private void preempt(Sequence s) {
    running.remove(running.size() - 1);
    cache.release(s);
    s.state = Sequence.State.WAITING;
    s.preemptions++;
    s.prefilled = 0;
    s.prefillTarget = (long) s.promptTokens() + s.generated;
    waiting.addFirst(s);
    observer.onPreemption();
  }

  private Step emit(long startNanos, long endNanos) {
    Sequence[] tokens = new Sequence[running.size()];
    int[] indexes = new int[running.size()];
    boolean[] finished = new boolean[running.size()];
    int count = 0;
    Iterator<Sequence> it = running.iterator();
    while (it.hasNext()) {
      Sequence s = it.next();
      if (s.prefilling()) {
        continue;
      }
      int index = s.generated++;
      if (index == 0) {
        observer.onFirstToken(endNanos - s.arrivalNanos());
      } else {
        observer.onInterToken(endNanos - s.lastTokenNanos);
      }
      s.lastTokenNanos = endNanos;
      tokens[count] = s;
      indexes[count] = index;
      if (s.generated >= s.outputTokens()) {
        finished[count] = true;
        it.remove();
        cache.release(s);
        s.state = Sequence.State.FINISHED;
        observer.onFinished(s, endNanos);
      }
      count++;
    }
    observer.onGeneratedTokens(count);
    return new Step(startNanos, endNanos, count, tokens, indexes, finished);
  }

  public int runningCount() {
    return running.size();
  }

  public int waitingCount() {
    return waiting.size();
  }

  public KvCache cache() {
    return cache;
  }

  public long steps() {
    return steps;
  }
}
