/**
 * sse: bytes off the socket into events, and events into content. {@code SseParser} cuts the {@code
 * text/event-stream} bytes into events; {@code ChunkDecoder} reads each event's JSON (most through
 * {@code FastChunkScanner}'s single pass, the rest through Jackson) into the content, finish
 * reason, usage or error it carries; {@code OutputText} collects the generated text; {@code
 * ErrorSummary} turns a failed response's body into one line. The per-token hot path: it runs on
 * the event loops and allocates nothing per event it can avoid.
 */
package io.loadgen.core.internal.sse;
