package io.loadgen.sim.internal;

/**
 * A parsed completion request: what the simulated engine needs to know of it.
 *
 * @param chat true for /v1/chat/completions
 * @param maxTokens the request's limit, or 0 when it set none
 * @param minTokens the request's floor, 0 when it set none
 */
record CompletionRequest(
    boolean chat,
    String model,
    String prompt,
    boolean stream,
    boolean includeUsage,
    int maxTokens,
    int minTokens,
    boolean ignoreEos) {}
