package io.loadgen.core.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkDecoderTest {
  private final ChunkDecoder decoder = new ChunkDecoder();

  private ChunkDecoder.Chunk decode(String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    return decoder.decode(bytes, bytes.length);
  }

  @Test
  void readsTheContentOfAChatChunk() {
    ChunkDecoder.Chunk chunk = decode("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\" hello\","
        + "\"tool_calls\":[{\"a\":[1,{\"b\":2}]}]},\"logprobs\":null,\"finish_reason\":null}]}");
    assertEquals(" hello", chunk.content());
    assertNull(chunk.finishReason());
    assertFalse(chunk.malformed());
    assertFalse(chunk.hasUsage());
  }

  @Test
  void readsTheTextOfACompletionsChunkAndItsFinishReason() {
    ChunkDecoder.Chunk chunk = decode("{\"object\":\"text_completion\",\"choices\":[{\"text\":\" world\","
        + "\"index\":0,\"finish_reason\":\"length\"}]}");
    assertEquals(" world", chunk.content());
    assertEquals("length", chunk.finishReason());
  }

  @Test
  void readsAWholeChatBody() {
    ChunkDecoder.Chunk chunk = decode("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"all of it\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}");
    assertEquals("all of it", chunk.content());
    assertTrue(chunk.hasUsage());
    assertEquals(12, chunk.promptTokens());
    assertEquals(3, chunk.completionTokens());
  }

  @Test
  void readsAUsageOnlyChunkWithEmptyChoices() {
    ChunkDecoder.Chunk chunk = decode("{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":200,"
        + "\"completion_tokens\":200,\"total_tokens\":400}}");
    assertNull(chunk.content());
    assertTrue(chunk.hasUsage());
    assertEquals(200, chunk.completionTokens());
  }

  @Test
  void treatsNullContentAndRoleOnlyDeltasAsNoContent() {
    assertNull(decode("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}").content());
    assertNull(decode("{\"choices\":[{\"delta\":{\"content\":null}}]}").content());
    assertEquals("", decode("{\"choices\":[{\"delta\":{\"content\":\"\"}}]}").content());
  }

  @Test
  void readsOnlyTheFirstChoice() {
    assertEquals("a", decode("{\"choices\":[{\"delta\":{\"content\":\"a\"}},{\"delta\":{\"content\":\"b\"}}]}").content());
  }

  @Test
  void recognisesDoneWithSurroundingWhiteSpace() {
    assertTrue(decode("[DONE]").done());
    assertTrue(decode(" [DONE] ").done());
    assertFalse(decode("{\"choices\":[]}").done());
  }

  @Test
  void describesAnErrorObjectInTheStreamOnOneLine() {
    ChunkDecoder.Chunk chunk = decode("{\"error\":{\"message\":\"out of\\nmemory\",\"type\":\"server_error\",\"code\":500}}");
    assertEquals("out of memory (server_error, code 500)", chunk.errorMessage());
    // vLLM's shape: an object with object "error".
    ChunkDecoder.Chunk vllm = decode("{\"object\":\"error\",\"message\":\"bad\",\"type\":\"BadRequestError\",\"code\":400,"
        + "\"error\":{\"message\":\"bad\"}}");
    assertEquals("bad", vllm.errorMessage());
    assertEquals("just text", decode("{\"error\":\"just text\"}").errorMessage());
  }

  @Test
  void flagsDataThatIsNotAJsonObject() {
    assertTrue(decode("hello there").malformed());
    assertTrue(decode("[1,2]").malformed());
    assertTrue(decode("{\"choices\":[").malformed());
    assertTrue(decode("hello there").malformedReason().contains("hello there"));
  }

  @Test
  void summarisesJsonAndTextErrorBodiesOnOneLine() {
    assertEquals("HTTP 400: max_tokens is too large (invalid_request_error)", ChunkDecoder.errorSummary(400,
        "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\"}}".getBytes(StandardCharsets.UTF_8)));
    assertEquals("HTTP 422: field required", ChunkDecoder.errorSummary(422,
        "{\"detail\":\"field required\"}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(ChunkDecoder.errorSummary(422,
        "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"bad\"}]}".getBytes(StandardCharsets.UTF_8)).contains("\"msg\":\"bad\""));
    assertEquals("HTTP 404: Not Found The page is gone", ChunkDecoder.errorSummary(404,
        "<html>\n<body><h1>Not Found</h1>\n<p>The page is gone</p></body></html>".getBytes(StandardCharsets.UTF_8)));
    String longText = ChunkDecoder.errorSummary(502, "y".repeat(5000).getBytes(StandardCharsets.UTF_8));
    assertTrue(longText.length() < 220, longText);
    assertEquals("HTTP 503", ChunkDecoder.errorSummary(503, new byte[0]));
  }
}
