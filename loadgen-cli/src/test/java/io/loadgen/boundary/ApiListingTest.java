package io.loadgen.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each library module's public API, as {@link ApiListing} reads it from the compiled classes, is
 * the one checked in as {@code MODULE/api/MODULE.api}, so that a change to the API shows in review
 * as a change to that file. When the change is meant, run {@link #UPDATE_COMMAND} and commit the
 * files it rewrites.
 */
class ApiListingTest {
  /** Rewrites every listing from the current sources; {@code -am} compiles them first. */
  static final String UPDATE_COMMAND =
      "./mvnw -B -pl loadgen-cli -am test -Dtest=ApiListingTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dloadgen.api.update=true";

  static Stream<Modules> libraries() {
    return Modules.libraries().stream();
  }

  @ParameterizedTest
  @MethodSource("libraries")
  void publicApiMatchesItsCheckedInListing(Modules module) throws IOException {
    String actual = ApiListing.of(module);
    Path file = module.apiFile();
    String expected = Files.isRegularFile(file) ? Files.readString(file).replace("\r\n", "\n") : "";
    if (expected.equals(actual)) {
      return;
    }
    Path shown = Modules.projectRoot().relativize(file);
    if (Boolean.getBoolean("loadgen.api.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      System.out.println("rewrote " + shown + ":\n" + LineDiff.of(expected, actual));
      return;
    }
    fail(
        "the public API of "
            + module.folder
            + " differs from "
            + shown
            + (expected.isEmpty() ? " (missing)" : "")
            + ":\n"
            + LineDiff.of(expected, actual)
            + "\nIf the change is meant, rewrite the listings with\n  "
            + UPDATE_COMMAND
            + "\nand commit them; if not, make the type or member package-private or move it under internal.");
  }

  @Test
  void applicationsHaveNoListing() {
    for (Modules module : Modules.values()) {
      Path apiFolder = Modules.projectRoot().resolve(module.folder).resolve("api");
      if (!module.library && Files.exists(apiFolder)) {
        fail(module.folder + " is an application, with no Java API to list, but has " + apiFolder);
      }
    }
  }

  @Test
  void diffShowsRemovedAndAddedLinesWithContext() {
    String before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
    String after = "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\n";
    assertEquals(
        "...\n  b\n  c\n- d\n+ D\n  e\n  f\n...\n  i\n  j\n+ k\n  \n", LineDiff.of(before, after));
  }
}
