package io.loadgen.core.internal.engine;

import io.vertx.core.buffer.Buffer;

/**
 * One prepared request: its prompt's token count and its serialised body, ready to send as is.
 *
 * @param maxTokensHint the output length asked for, or 0; sizes the per-request timestamp array
 */
record DatasetEntry(String body, Buffer bodyBuffer, int inputTokens, int maxTokensHint) {}
