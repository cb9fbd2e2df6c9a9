package io.loadgen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a GPU host, DJL on its own asks for a CUDA build of the tokenizers library and downloads it;
 * loadgen must use the CPU build in its jar. A fake CUDA runtime (built here with the C compiler)
 * plays the GPU, and each case runs in a JVM of its own, since DJL picks its library once per
 * process. Those JVMs have JNA, which loadgen's own jar leaves out, so that the probe does find the
 * fake GPU, and an HTTPS proxy on a closed port, so that nothing reaches the internet.
 */
class BundledNativeLibraryTest {
  private static final long CHILD_TIMEOUT_SECONDS = 60;

  @Test
  void aGpuHostStillGetsTheBundledCpuLibraryAndNothingIsDownloaded(@TempDir Path dir)
      throws Exception {
    Path fakeCuda = buildFakeCudaRuntime(dir);

    Child djlAlone = run(dir, fakeCuda, "djl");
    // The control: the fake GPU is seen, and DJL without loadgen's settings fails for want of a
    // download.
    assertTrue(djlAlone.output.contains("detected cu122 sm_90"), djlAlone.output);
    assertNotEquals(0, djlAlone.exit, djlAlone.output);
    assertTrue(djlAlone.output.contains("Cannot download jni files"), djlAlone.output);

    Child loadgen = run(dir, fakeCuda, "loadgen");
    assertTrue(loadgen.output.contains("detected cu122 sm_90"), loadgen.output);
    assertEquals(0, loadgen.exit, loadgen.output);
    assertTrue(loadgen.output.contains("tokens 2"), loadgen.output);
    List<Path> libraries = librariesUnder(dir.resolve("cache-loadgen"));
    assertEquals(1, libraries.size(), libraries.toString());
    assertTrue(libraries.get(0).toString().contains("-cpu-"), libraries.toString());
  }

  private static Path buildFakeCudaRuntime(Path dir) throws Exception {
    Path source = dir.resolve("fake_cudart.c");
    try (InputStream in =
        BundledNativeLibraryTest.class.getResourceAsStream("fakecuda/fake_cudart.c")) {
      Files.copy(in, source);
    }
    Path libraries = Files.createDirectories(dir.resolve("fakecuda"));
    Process cc;
    try {
      cc =
          new ProcessBuilder(
                  "cc",
                  "-shared",
                  "-fPIC",
                  "-o",
                  libraries.resolve("libcudart.so").toString(),
                  source.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      assumeTrue(false, "no C compiler (cc) to build the fake CUDA runtime: " + e.getMessage());
      throw e;
    }
    String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assumeTrue(
        cc.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS) && cc.exitValue() == 0,
        "cc could not build the fake CUDA runtime: " + output);
    return libraries;
  }

  private record Child(int exit, String output) {}

  private static Child run(Path dir, Path fakeCuda, String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Djna.library.path=" + fakeCuda,
                "-Djna.tmpdir=" + Files.createDirectories(dir.resolve("jna-" + mode)),
                "-Dhttps.proxyHost=127.0.0.1",
                "-Dhttps.proxyPort=9",
                "-Dhttp.proxyHost=127.0.0.1",
                "-Dhttp.proxyPort=9",
                "-cp",
                System.getProperty("java.class.path"),
                GpuHostTokenizerMain.class.getName(),
                mode)
            .redirectErrorStream(true);
    builder.environment().put("DJL_CACHE_DIR", dir.resolve("cache-" + mode).toString());
    builder.environment().remove("RUST_FLAVOR");
    builder.environment().remove("DJL_OFFLINE");
    builder.environment().remove("RUST_LIBRARY_PATH");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the " + mode + " JVM did not finish: " + output);
    }
    return new Child(process.exitValue(), output);
  }

  private static List<Path> librariesUnder(Path cache) throws IOException {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(cache)) {
      return files
          .filter(p -> p.getFileName().toString().equals(System.mapLibraryName("tokenizers")))
          .map(cache::relativize)
          .toList();
    }
  }
}
