package io.loadgen.core.internal.engine;

import io.vertx.core.buffer.Buffer;

/**
 * One prepared request: its prompt's token count and its serialised body, ready to send as is.
 *
 * @param maxTokensHint the output length asked for, or 0; sizes the per-request timestamp array
 * @param prompt the synthetic prompt in the body, for a chat session's turn to send as its user
 *     message; null where the body holds no one prompt
 */
record DatasetEntry(
    String body, Buffer bodyBuffer, int inputTokens, int maxTokensHint, String prompt) {}
