package io.loadgen.sim;

/**
 * Counters and engine state of a simulated server since it started.
 *
 * @param requestsReceived completion requests accepted (valid or not)
 * @param requestsCompleted responses sent in full
 * @param requestsCancelled responses abandoned because the client went away
 * @param tokensSent output tokens sent, over all responses
 * @param streamsOpen responses under way now
 * @param running requests in the engine's batch after its last step
 * @param waiting requests queued for the batch after its last step
 * @param kvBlocksUsed KV-cache blocks held after the last step
 * @param kvBlocksTotal KV-cache blocks in all
 * @param preemptions requests preempted for want of KV blocks, in all
 */
public record SimStats(
    long requestsReceived,
    long requestsCompleted,
    long requestsCancelled,
    long tokensSent,
    long streamsOpen,
    int running,
    int waiting,
    long kvBlocksUsed,
    long kvBlocksTotal,
    long preemptions) {

  /** KV-cache usage 0 to 1, as {@code gpu_cache_usage_perc} reports it. */
  public double kvCacheUsage() {
    return (double) kvBlocksUsed / kvBlocksTotal;
  }
}
