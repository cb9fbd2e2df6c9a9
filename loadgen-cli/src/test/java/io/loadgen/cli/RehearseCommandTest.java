package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loadgen autoscale rehearse} from the command line: the guide's scenario, and bad input.
 */
class RehearseCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void rehearsesTheGuidesScenarioAndWritesItsTimeline(@TempDir Path dir) throws IOException {
    Run run =
        run(
            "autoscale",
            "rehearse",
            "--preset",
            "llama3-8b-h100",
            "--calibrate-kv",
            "100:0.094,200:0.208,400:0.409",
            "--target",
            "100m",
            "--plan",
            "10@5m,100@5m,200@10m,10@10m",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("KV cache fitted to 3 points"), run.out());
    assertTrue(run.out().contains("NAME           REFERENCE"), run.out());
    assertTrue(run.out().contains("up to 3 replicas"), run.out());
    List<String> csv = Files.readAllLines(dir.resolve("rehearsal.csv"));
    assertEquals(1 + 120, csv.size(), "a header and a row per 15 s of 30 minutes");
    JsonNode json = JSON.readTree(dir.resolve("rehearsal.json").toFile());
    assertEquals("100m", json.path("spec").path("target_milli").asText());
    assertEquals(
        3,
        json.path("syncs").findValues("replicas").stream()
            .mapToInt(JsonNode::asInt)
            .max()
            .orElse(0));
    String report = Files.readString(dir.resolve("report.html"));
    assertTrue(report.contains("TARGETS") && report.contains("REPLICAS"), "the timeline");
    assertEquals(4, report.split("data:image/png;base64,", -1).length - 1, "four charts");
  }

  @Test
  void aBadTargetOrPlanIsOneLine() {
    for (String[] bad :
        new String[][] {
          {"--target", "2000m"},
          {"--plan", "100@soon"},
          {"--calibrate-kv", "100:9"},
          {"--preset", "tpu"}
        }) {
      Run run = run("autoscale", "rehearse", bad[0], bad[1]);
      assertEquals(2, run.exitCode(), run.out() + run.err());
      assertEquals(1, run.err().strip().lines().count(), run.err());
      assertFalse(run.err().contains("\tat "), run.err());
    }
    Run sim = run("sim", "--calibrate-kv", "100:0.094,200", "--port", "0");
    assertEquals(2, sim.exitCode(), sim.err());
    assertTrue(sim.err().contains("--calibrate-kv part '200' is not CONCURRENCY:USAGE"), sim.err());
  }
}
