package io.loadgen.sim;

/**
 * Counters of a simulated server since it started.
 *
 * @param requestsReceived completion requests accepted (valid or not)
 * @param requestsCompleted responses sent in full
 * @param requestsCancelled responses abandoned because the client went away
 * @param tokensSent output tokens sent, over all responses
 * @param streamsOpen responses under way now
 */
public record SimStats(
    long requestsReceived, long requestsCompleted, long requestsCancelled, long tokensSent, long streamsOpen) {}
