package io.loadgen.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The JUnit example in README.md is this package's test, word for word, so it compiles and runs.
 */
class ReadmeExampleTest {
  @Test
  void theReadmeShowsTheExampleThatTheBuildRuns() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String example =
        Files.readString(
            Path.of(
                "src",
                "test",
                "java",
                "io",
                "loadgen",
                "examples",
                "TimeToFirstTokenBudgetTest.java"));
    String body = example.substring(example.indexOf("import "));
    assertTrue(
        readme.contains(body),
        "README.md's JUnit example differs from TimeToFirstTokenBudgetTest.java");
  }
}
