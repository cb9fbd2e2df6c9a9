package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** bin/loadgen, run with a stand-in java that reports what it was started with. */
@DisabledOnOs(OS.WINDOWS)
class LauncherTest {
  private static final Path LAUNCHER = Path.of("..", "bin", "loadgen");

  @Test
  void raisesTheSoftOpenFileLimitToTheHardOneBeforeJavaStarts(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path java = dir.resolve("jdk/bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "if [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.1\"' >&2; exit 0; fi\n"
            + "echo \"$(ulimit -n) $(ulimit -Hn)\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.writeString(dir.resolve("loadgen.jar"), "");
    // A soft limit below the hard one, as a login shell often has.
    ProcessBuilder launch =
        new ProcessBuilder(
                "sh",
                "-c",
                "ulimit -Sn 256 && exec \"$0\" --version",
                LAUNCHER.toAbsolutePath().normalize().toString())
            .redirectErrorStream(true);
    launch.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
    launch.environment().put("LOADGEN_JAR", jar.toString());
    launch.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    Process process = launch.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), out);
    String[] limits = out.strip().split(" ");
    assertEquals(2, limits.length, out);
    assertEquals(limits[1], limits[0], "the soft limit is the hard one: " + out);
  }
}
