package io.loadgen.boundary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * loadgen's Maven modules as the boundary and API tests see them: the folder, the root package
 * (which holds the module's public API; the rest is package-private or under {@code
 * ROOT.internal}), and whether the root package is a Java API with a checked-in listing.
 */
enum Modules {
  TOKENIZER("loadgen-tokenizer", "io.loadgen.tokenizer", true),
  CORE("loadgen-core", "io.loadgen.core", true),
  SIM("loadgen-sim", "io.loadgen.sim", true),
  REPORT("loadgen-report", "io.loadgen.report", true),
  AUTOSCALE("loadgen-autoscale", "io.loadgen.autoscale", true),
  /**
   * An application: its interface is the command line, and its only public type is {@code Main}.
   */
  CLI("loadgen-cli", "io.loadgen.cli", false),
  /** JMH suites and harnesses: not on this module's classpath, and free to use internals. */
  BENCHMARKS("benchmarks", "io.loadgen.benchmarks", false);

  final String folder;
  final String rootPackage;
  final boolean library;

  Modules(String folder, String rootPackage, boolean library) {
    this.folder = folder;
    this.rootPackage = rootPackage;
    this.library = library;
  }

  static List<Modules> libraries() {
    return Arrays.stream(values()).filter(m -> m.library).toList();
  }

  /** The checked-in listing of the module's public API, OkHttp's {@code .api} file. */
  Path apiFile() {
    return projectRoot().resolve(folder).resolve("api").resolve(folder + ".api");
  }

  /**
   * The folder holding the parent pom, found upwards from the working directory (Surefire runs a
   * module's tests in the module's folder), so that the tests work from any module's build.
   */
  static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isRegularFile(dir.resolve("loadgen-core/pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no loadgen checkout above "
            + Path.of("").toAbsolutePath()
            + ": run the tests from the repository");
  }
}
