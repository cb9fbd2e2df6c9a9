package io.loadgen.core.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorSummaryTest {

  private static String summary(int status, String body) {
    return ChunkDecoder.errorSummary(status, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void givesTheMessageTypeAndCodeOfAnOpenAiError() {
    assertEquals(
        "HTTP 400: max_tokens is too large (invalid_request_error)",
        summary(
            400,
            "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":null}}"));
    assertEquals(
        "HTTP 401: Incorrect API key provided (invalid_request_error, code invalid_api_key)",
        summary(
            401,
            "{\n  \"error\": {\n    \"message\": \"Incorrect API key provided\",\n"
                + "    \"type\": \"invalid_request_error\",\n    \"code\": \"invalid_api_key\"\n  }\n}\n"));
    assertEquals("HTTP 500: oops", summary(500, "{\"error\":\"oops\"}"));
  }

  @Test
  void givesTheMessageOfVllmsFlatError() {
    assertEquals(
        "HTTP 400: This model's maximum context length is 2048 tokens (BadRequestError, code 400)",
        summary(
            400,
            "{\"object\":\"error\",\"message\":\"This model's maximum context length is 2048 tokens\","
                + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"));
  }

  @Test
  void givesABareMessage() {
    assertEquals(
        "HTTP 404: The model `gpt-5` does not exist",
        summary(404, "{\"message\":\"The model `gpt-5` does not exist\"}"));
  }

  @Test
  void givesFastApisDetailString() {
    assertEquals("HTTP 404: Not Found", summary(404, "{\"detail\":\"Not Found\"}"));
  }

  @Test
  void givesEachValidationErrorOfFastApisDetailListWithItsLocation() {
    assertEquals(
        "HTTP 422: body.max_tokens: Input should be a valid integer; body.messages: Field required",
        summary(
            422,
            "{\"detail\":[{\"type\":\"int_parsing\",\"loc\":[\"body\",\"max_tokens\"],"
                + "\"msg\":\"Input should be a valid integer\",\"input\":\"x\",\"ctx\":{\"a\":[1]}},"
                + "{\"type\":\"missing\",\"loc\":[\"body\",\"messages\"],\"msg\":\"Field required\",\"input\":null},"
                + "42]}"));
    assertEquals(
        "HTTP 422: body.0.n: bad; plain",
        summary(422, "{\"detail\":[{\"loc\":[\"body\",0,\"n\"],\"msg\":\"bad\"},\"plain\"]}"));
    assertEquals(
        "HTTP 422: no location",
        summary(422, "{\"detail\":[{\"msg\":\"no location\",\"loc\":[]}]}"));
  }

  @Test
  void givesTheJsonTextOfADetailOfUnknownShape() {
    assertEquals(
        "HTTP 400: {\"reason\": [1, 2]}",
        summary(400, "{\"detail\": {\"reason\": [1, 2]}, \"x\": 1}"));
    assertEquals("HTTP 400: [1, {\"a\": 2}]", summary(400, "{\"detail\": [1, {\"a\": 2}]}"));
  }

  @Test
  void prefersTheErrorToADetail() {
    assertEquals(
        "HTTP 400: real",
        summary(400, "{\"detail\":\"secondary\",\"error\":{\"message\":\"real\"}}"));
  }

  @Test
  void givesTheWholeJsonOnOneLineWhenItHasNoKnownField() {
    assertEquals(
        "HTTP 500: {\"status\": \"failed\", \"why\": \"unknown\"}",
        summary(500, "{\"status\": \"failed\",\n \"why\": \"unknown\"}"));
    assertEquals("HTTP 500: [\"a\"]", summary(500, "[\"a\"]"));
  }

  @Test
  void treatsJsonCutShortAsText() {
    assertEquals(
        "HTTP 502: {\"error\":{\"message\":\"cut", summary(502, "{\"error\":{\"message\":\"cut"));
  }

  @Test
  void dropsTheMarkupOfAnHtmlErrorPage() {
    assertEquals(
        "HTTP 502: 502 Bad Gateway nginx/1.18.0",
        summary(
            502,
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"));
    assertEquals(
        "HTTP 500: Oops & sorry <3",
        summary(
            500,
            "<!DOCTYPE html><html><head><style>body { color: red; }</style></head><body>"
                + "<script type=\"text/javascript\">var a = 1 < 2;</script><!-- a comment --><p>Oops &amp; sorry &lt;3</p>"
                + "</body></html>"));
  }

  @Test
  void keepsTheTitleOfAPageWithNothingElse() {
    assertEquals(
        "HTTP 503: Service Unavailable",
        summary(503, "<html><head><title>Service Unavailable</title></head><body></body></html>"));
  }

  @Test
  void collapsesWhiteSpaceAndControlCharactersOfPlainText() {
    assertEquals(
        "HTTP 500: Internal Server Error: something broke",
        summary(500, "  Internal Server Error:\r\n\tsomething\u0000\u0007 broke \n"));
    assertEquals("HTTP 429: a < b > c", summary(429, "a < b > c"));
  }

  @Test
  void cutsALongBodyToAboutTwoHundredCharacters() {
    String summary = summary(502, "y".repeat(5000));
    assertEquals("HTTP 502: " + "y".repeat(OneLine.LIMIT_CHARS) + "...", summary);
    String html = summary(500, "<html><body><p>" + "word ".repeat(100_000) + "</p></body></html>");
    assertTrue(html.length() <= "HTTP 500: ".length() + OneLine.LIMIT_CHARS + 3, html);
  }

  @Test
  void neverCutsACharacterOutsideTheBasicPlaneInHalf() {
    for (int prefix = 0; prefix < 2; prefix++) {
      String summary = summary(500, "x".repeat(prefix) + "😀".repeat(300));
      String kept = summary.substring("HTTP 500: ".length(), summary.length() - "...".length());
      assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 1)), summary);
      assertEquals(
          kept.length(),
          kept.codePoints().mapToObj(Character::toString).mapToInt(String::length).sum());
    }
  }

  @Test
  void givesTheStatusAloneForABodyThatSaysNothing() {
    assertEquals("HTTP 503", ChunkDecoder.errorSummary(503, new byte[0]));
    assertEquals("HTTP 503", summary(503, " \r\n\t"));
    assertEquals("HTTP 500", summary(500, "<html><body></body></html>"));
  }

  @Test
  void treatsAByteOrderMarkedJsonBodyAsJson() {
    assertEquals("HTTP 400: marked", summary(400, "\uFEFF{\"error\":{\"message\":\"marked\"}}"));
  }
}
