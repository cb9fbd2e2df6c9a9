package io.loadgen.core.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkDecoderTest {
  private final ChunkDecoder decoder = new ChunkDecoder();

  private ChunkDecoder.Chunk decode(String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    return decoder.decode(bytes, bytes.length);
  }

  private static void assertNothingElse(ChunkDecoder.Chunk chunk) {
    assertFalse(chunk.done(), "done");
    assertFalse(chunk.malformed(), "malformed: " + chunk.malformedReason());
    assertNull(chunk.errorMessage(), "error");
  }

  @Test
  void readsTheContentOfAChatChunkSkippingNestedFieldsAroundIt() {
    ChunkDecoder.Chunk chunk =
        decode(
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"m\",\"system_fingerprint\":{\"a\":[1,[2,{\"content\":\"not this\"}]]},"
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"a\":[1,{\"b\":2}]}],"
                + "\"content\":\" hello\",\"extra\":{\"content\":\"nor this\"}},"
                + "\"logprobs\":{\"content\":[{\"token\":\"x\",\"top_logprobs\":[{\"token\":\"y\"}]}]},"
                + "\"finish_reason\":null}],\"usage\":null}");
    assertEquals(" hello", chunk.content());
    assertNull(chunk.finishReason());
    assertFalse(chunk.hasUsage());
    assertNothingElse(chunk);
  }

  @Test
  void readsAReasoningModelsThinkingApartFromItsContentOnBothPaths() {
    for (String field : new String[] {"reasoning_content", "reasoning"}) {
      String plain = "{\"choices\":[{\"delta\":{\"" + field + "\":\" hmm\",\"content\":null}}]}";
      String escaped =
          "{\"choices\":[{\"delta\":{\"" + field + "\":\" h\\u006dm\",\"content\":null}}]}";
      for (String data : new String[] {plain, escaped}) {
        ChunkDecoder.Chunk chunk = decode(data);
        assertTrue(chunk.hasReasoning(), data);
        assertEquals(" hmm", chunk.reasoning(), data);
        assertFalse(chunk.hasContent(), data);
        OutputText text = new OutputText(8);
        chunk.appendReasoningTo(text);
        assertEquals(" hmm", text.toString());
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        assertEquals(" hmm", decoder.decodeWithJackson(bytes, bytes.length).reasoning(), data);
      }
    }
    // vLLM's answer chunks carry a null reasoning: content, no reasoning.
    ChunkDecoder.Chunk answer =
        decode("{\"choices\":[{\"delta\":{\"reasoning_content\":null,\"content\":\" ok\"}}]}");
    assertFalse(answer.hasReasoning());
    assertEquals(" ok", answer.content());
    assertFalse(decode("{\"choices\":[{\"delta\":{\"reasoning\":\"\"}}]}").hasReasoning());
  }

  @Test
  void decodesEscapesAndCharactersOutsideAscii() {
    assertEquals(
        "é \"q\"\n日本😀",
        decode(
                "{\"choices\":[{\"delta\":{\"content\":"
                    + "\"\\u00e9 \\\"q\\\"\\n日本\\ud83d\\ude00\"}}]}")
            .content());
  }

  @Test
  void ignoresBracesAndBracketsInsideStrings() {
    ChunkDecoder.Chunk chunk =
        decode(
            "{\"x\":\"}]{[\\\"\",\"choices\":[{\"delta\":{\"y\":\"}}]]\","
                + "\"content\":\"ok\"}}]}");
    assertEquals("ok", chunk.content());
    assertNothingElse(chunk);
  }

  @Test
  void readsTheTextOfACompletionsChunkAndItsFinishReason() {
    ChunkDecoder.Chunk chunk =
        decode(
            "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,"
                + "\"choices\":[{\"text\":\" world\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\","
                + "\"stop_reason\":null}],\"model\":\"m\"}");
    assertEquals(" world", chunk.content());
    assertEquals("length", chunk.finishReason());
    assertNothingElse(chunk);
  }

  @Test
  void readsAWholeChatBodyWithItsUsage() {
    ChunkDecoder.Chunk chunk =
        decode(
            "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"all of it\",\"tool_calls\":[]},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"nested\":[1,{\"completion_tokens\":99}]},"
                + "\"completion_tokens\":3,\"total_tokens\":15}}");
    assertEquals("all of it", chunk.content());
    assertEquals("stop", chunk.finishReason());
    assertTrue(chunk.hasUsage());
    assertEquals(12, chunk.promptTokens());
    assertEquals(3, chunk.completionTokens());
    assertNothingElse(chunk);
  }

  @Test
  void decodesAWholeBodyFromAVertxBuffer() {
    ChunkDecoder.Chunk chunk =
        decoder.decodeBody(
            Buffer.buffer(
                "{\"choices\":[{\"message\":{\"content\":\"body\"}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}"));
    assertEquals("body", chunk.content());
    assertEquals(2, chunk.completionTokens());
  }

  @Test
  void readsAUsageOnlyChunkWithEmptyChoices() {
    ChunkDecoder.Chunk chunk =
        decode(
            "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":200,\"completion_tokens\":180,\"total_tokens\":380}}");
    assertNull(chunk.content());
    assertNull(chunk.finishReason());
    assertTrue(chunk.hasUsage());
    assertEquals(200, chunk.promptTokens());
    assertEquals(180, chunk.completionTokens());
    assertNothingElse(chunk);
  }

  @Test
  void reportsMinusOneForUsageCountsThatAreAbsent() {
    ChunkDecoder.Chunk chunk = decode("{\"usage\":{\"total_tokens\":5}}");
    assertTrue(chunk.hasUsage());
    assertEquals(-1, chunk.promptTokens());
    assertEquals(-1, chunk.completionTokens());
  }

  @Test
  void treatsAbsentNullAndEmptyContentAsNoContent() {
    assertNull(decode("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}").content());
    assertNull(decode("{\"choices\":[{\"delta\":{\"content\":null}}]}").content());
    assertNull(decode("{\"choices\":[{\"delta\":{\"content\":\"\"}}]}").content());
    assertNull(decode("{\"choices\":[{\"text\":\"\"}]}").content());
    assertNull(decode("{\"choices\":[{\"delta\":{}}]}").content());
    assertNull(decode("{\"choices\":[{}]}").content());
    assertNull(decode("{\"choices\":null}").content());
    assertNull(decode("{}").content());
    assertNothingElse(decode("{}"));
  }

  @Test
  void doesNotCountReasoningAsContent() {
    ChunkDecoder.Chunk thinking =
        decode(
            "{\"choices\":[{\"delta\":{\"reasoning_content\":\"let me think\","
                + "\"content\":null}}]}");
    assertNull(thinking.content());
    assertNothingElse(thinking);
    assertEquals(
        "answer",
        decode(
                "{\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\",\"reasoning\":\"hmm\","
                    + "\"content\":\"answer\"}}]}")
            .content());
  }

  @Test
  void ignoresContentThatIsNotAString() {
    ChunkDecoder.Chunk chunk =
        decode(
            "{\"choices\":[{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"x\"}]},"
                + "\"finish_reason\":\"stop\"}]}");
    assertNull(chunk.content());
    assertEquals("stop", chunk.finishReason());
    assertNothingElse(chunk);
  }

  @Test
  void readsOnlyTheFirstChoice() {
    assertEquals(
        "a",
        decode("{\"choices\":[{\"delta\":{\"content\":\"a\"}},{\"delta\":{\"content\":\"b\"}}]}")
            .content());
    ChunkDecoder.Chunk chunk =
        decode(
            "{\"choices\":[{\"index\":0,\"delta\":{}},{\"index\":1,\"delta\":{\"content\":\"b\"},"
                + "\"finish_reason\":\"stop\"}]}");
    assertNull(chunk.content());
    assertNull(chunk.finishReason());
  }

  @Test
  void recognisesDoneOnlyAsTheWholeDataGiveOrTakeWhiteSpace() {
    assertTrue(decode("[DONE]").done());
    assertTrue(decode(" \t[DONE]\r\n").done());
    assertNull(decode("[DONE]").content());
    assertFalse(decode("[done]").done());
    assertTrue(decode("[done]").malformed());
    assertFalse(decode("[DONE] more").done());
    assertFalse(decode("\"[DONE]\"").done());
    assertFalse(decode("{\"choices\":[]}").done());
  }

  @Test
  void readsOnlyTheGivenLengthOfTheData() {
    byte[] bytes = "{\"choices\":[{\"text\":\"x\"}]}garbage".getBytes(StandardCharsets.UTF_8);
    ChunkDecoder.Chunk chunk = decoder.decode(bytes, bytes.length - "garbage".length());
    assertEquals("x", chunk.content());
    assertNothingElse(chunk);
    byte[] done = "[DONE]xyz".getBytes(StandardCharsets.UTF_8);
    assertTrue(decoder.decode(done, 6).done());
  }

  @Test
  void resetsTheReusedChunkOnEveryDecode() {
    ChunkDecoder.Chunk first =
        decode(
            "{\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}");
    ChunkDecoder.Chunk second = decode("{\"choices\":[{\"delta\":{}}]}");
    assertSame(first, second);
    assertNull(second.content());
    assertNull(second.finishReason());
    assertFalse(second.hasUsage());
    assertEquals(-1, second.promptTokens());
    assertNull(decode("{\"object\":\"error\",\"message\":\"x\"}").content());
    assertNull(decode("{\"choices\":[]}").errorMessage());
    decode("nonsense");
    assertFalse(decode("{}").malformed());
    decode("{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"error\":{\"message\":\"m\"}}");
    assertTrue(decode("[DONE]").done());
    assertNull(decode("[DONE]").errorMessage());
    assertFalse(decode("{}").done());
  }

  @Test
  void describesAnOpenAiErrorObjectInTheStreamOnOneLine() {
    ChunkDecoder.Chunk chunk =
        decode(
            "{\"error\":{\"message\":\"out of\\nmemory\",\"type\":\"server_error\","
                + "\"param\":null,\"code\":500}}");
    assertEquals("out of memory (server_error, code 500)", chunk.errorMessage());
    assertFalse(chunk.malformed());
    assertEquals(
        "rate limited (code rate_limit_exceeded)",
        decode("{\"error\":{\"message\":\"rate limited\",\"code\":\"rate_limit_exceeded\"}}")
            .errorMessage());
    assertEquals(
        "bad (invalid_request_error)",
        decode("{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":null}}")
            .errorMessage());
    assertEquals(
        "error without a message (server_error)",
        decode("{\"error\":{\"type\":\"server_error\",\"details\":{\"message\":\"nested\"}}}")
            .errorMessage());
  }

  @Test
  void describesVllmStreamedAndFlatErrors() {
    // vLLM streams an error as an ErrorResponse inside "error"...
    assertEquals(
        "The model ran out of KV cache (InternalServerError, code 500)",
        decode(
                "{\"error\":{\"object\":\"error\",\"message\":\"The model ran out of KV cache\","
                    + "\"type\":\"InternalServerError\",\"param\":null,\"code\":500}}")
            .errorMessage());
    // ...and its older versions answer with the ErrorResponse itself.
    assertEquals(
        "This model's maximum context length is 4096 tokens (BadRequestError, code 400)",
        decode(
                "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens\","
                    + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}")
            .errorMessage());
  }

  @Test
  void describesAStringErrorWithTgisErrorType() {
    assertEquals("just text", decode("{\"error\":\"just text\"}").errorMessage());
    assertEquals(
        "Input validation error: too long (validation)",
        decode("{\"error\":\"Input validation error: too long\",\"error_type\":\"validation\"}")
            .errorMessage());
  }

  @Test
  void seesNoErrorInANullOrFalseErrorOrABareMessage() {
    assertNull(
        decode("{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"x\"}}]}").errorMessage());
    assertNull(decode("{\"error\":false}").errorMessage());
    assertNull(decode("{\"message\":\"hello\",\"type\":\"greeting\"}").errorMessage());
    assertNull(decode("{\"object\":\"chat.completion.chunk\",\"choices\":[]}").errorMessage());
    ChunkDecoder.Chunk notAnError =
        decode("{\"object\":[\"error\"],\"choices\":[{\"text\":\"x\"}]}");
    assertEquals("x", notAnError.content());
    assertNothingElse(notAnError);
  }

  @Test
  void describesAnErrorOfAnUnexpectedShape() {
    assertEquals("error without a message", decode("{\"error\":{}}").errorMessage());
    assertEquals("error without a message", decode("{\"error\":[1,2]}").errorMessage());
    assertEquals("error without a message", decode("{\"error\":true}").errorMessage());
    assertEquals("503", decode("{\"error\":503}").errorMessage());
    assertEquals(
        "error without a message (code 7)",
        decode("{\"object\":\"error\",\"code\":7}").errorMessage());
  }

  @Test
  void cutsALongErrorMessageToOneShortLine() {
    String message =
        decode("{\"error\":{\"message\":\"" + "word ".repeat(500) + "\"}}").errorMessage();
    assertTrue(message.length() <= OneLine.LIMIT_CHARS + 3, message);
    assertTrue(message.endsWith("..."), message);
  }

  @Test
  void flagsDataThatIsNotJsonWithItsStart() {
    ChunkDecoder.Chunk chunk = decode("hello there");
    assertTrue(chunk.malformed());
    assertEquals("not JSON: hello there", chunk.malformedReason());
    assertNull(chunk.content());
    assertFalse(chunk.done());
    assertTrue(
        decode("<html><body>Bad Gateway</body></html>")
            .malformedReason()
            .startsWith("not JSON: <html>"));
    assertTrue(decode("{\"a\":}").malformed());
    assertTrue(decode("{'a':1}").malformed());
  }

  @Test
  void flagsJsonThatIsNotAnObject() {
    assertEquals("not a JSON object: [1,2]", decode("[1,2]").malformedReason());
    assertEquals("not a JSON object: \"text\"", decode("\"text\"").malformedReason());
    assertEquals("not a JSON object: 42", decode("42").malformedReason());
    assertEquals("not a JSON object: null", decode("null").malformedReason());
  }

  @Test
  void flagsJsonCutShort() {
    String truncated = "{\"choices\":[{\"delta\":{\"content\":\"a\"";
    assertEquals("JSON cut short: " + truncated, decode(truncated).malformedReason());
    assertTrue(decode("{\"choices\":[").malformed());
    assertTrue(decode("{").malformed());
  }

  @Test
  void flagsAnythingAfterTheObject() {
    assertEquals("more than one JSON value: {} {}", decode("{} {}").malformedReason());
    assertTrue(decode("{\"choices\":[]}\ndata: {}").malformed());
  }

  @Test
  void flagsEmptyData() {
    assertEquals("no data where a JSON object was expected", decode("").malformedReason());
    assertEquals("no data where a JSON object was expected", decode(" \n ").malformedReason());
  }

  @Test
  void keepsTheReasonForMalformedDataToOneShortLine() {
    String reason = decode("line one\nline two\r\n" + "z".repeat(10_000)).malformedReason();
    assertTrue(reason.startsWith("not JSON: line one line two z"), reason);
    assertTrue(reason.length() < 250, reason);
    assertFalse(reason.contains("\n"), reason);
  }

  @Test
  void clearsEverythingButTheReasonWhenDataTurnsOutMalformed() {
    ChunkDecoder.Chunk chunk =
        decode(
            "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":{\"prompt_tokens\":1},"
                + "\"error\":\"x\"} trailing");
    assertTrue(chunk.malformed());
    assertNull(chunk.content());
    assertFalse(chunk.hasUsage());
    assertNull(chunk.errorMessage());
  }

  @Test
  void survivesDeeplyNestedUnknownFields() {
    String deep = "[".repeat(200) + "]".repeat(200);
    ChunkDecoder.Chunk chunk =
        decode("{\"deep\":" + deep + ",\"choices\":[{\"delta\":{\"content\":\"x\"}}]}");
    assertEquals("x", chunk.content());
    assertTrue(decode("{\"deep\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}").malformed());
  }
}
