/**
 * input: what to send, from a file. Reads genai-perf's JSONL input files (a prompt, chat messages
 * or a length to synthesise per line, and a timestamp for a trace) into records that the engine's
 * dataset turns into request bodies. Read once, before the first send.
 */
package io.loadgen.core.internal.input;
