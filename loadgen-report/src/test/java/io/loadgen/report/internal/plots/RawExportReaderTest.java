package io.loadgen.report.internal.plots;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RawExportReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode response(String text) {
    return JSON.createObjectNode().put("response", text);
  }

  @Test
  void aChatDeltaOrACompletionsTextOrAWholeBodyWithTextIsContent() {
    assertTrue(
        RawExportReader.carriesContent(
            response("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}")));
    assertTrue(
        RawExportReader.carriesContent(response("data: {\"choices\":[{\"text\":\" there\"}]}")));
    assertTrue(
        RawExportReader.carriesContent(
            response("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}]}")));
  }

  @Test
  void theRoleChunkTheUsageChunkDoneAndTextThatIsNotJsonAreNot() {
    assertFalse(
        RawExportReader.carriesContent(
            response(
                "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}")));
    assertFalse(
        RawExportReader.carriesContent(
            response("data: {\"choices\":[],\"usage\":{\"completion_tokens\":3}}")));
    assertFalse(RawExportReader.carriesContent(response("data: [DONE]")));
    assertFalse(RawExportReader.carriesContent(response(": keep-alive")));
  }

  @Test
  void aResponseCutShortForTheExportsBudgetCountsAsContent() {
    assertTrue(
        RawExportReader.carriesContent(
            JSON.createObjectNode().put("response", "data: {\"choi").put("cut", true)));
  }
}
