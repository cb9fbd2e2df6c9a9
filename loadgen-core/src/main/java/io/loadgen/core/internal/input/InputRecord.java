package io.loadgen.core.internal.input;

import java.util.List;

/**
 * One line of an input file: exactly one of {@code text}, {@code messages} or {@code inputLength}
 * says what to send.
 *
 * @param lineNumber where it came from, from 1, for error messages
 * @param timestampMillis when to send it, relative to the trace's start; null when not given
 * @param text a prompt ({@code text} or {@code text_input}), or null
 * @param messages chat messages, or null
 * @param inputLength a prompt length to synthesise, in tokens, or null
 * @param outputLength the output length to ask for ({@code max_tokens}), or null
 * @param hashIds the ids of the trace's prompt blocks (Mooncake's {@code hash_ids}): blocks with
 *     the same id have the same text, so prefix sharing in the trace is kept; empty when not given
 * @param sessionId the chat session the line is a turn of ({@code session_id}), or null; a file of
 *     sessions gives every line one, its turns in order
 * @param delayMillis a session turn's wait after the last answer ({@code delay}, ms), or null
 */
public record InputRecord(
    int lineNumber,
    Long timestampMillis,
    String text,
    List<Message> messages,
    Integer inputLength,
    Integer outputLength,
    List<Long> hashIds,
    String sessionId,
    Long delayMillis) {

  /** A chat message. */
  public record Message(String role, String content) {}
}
