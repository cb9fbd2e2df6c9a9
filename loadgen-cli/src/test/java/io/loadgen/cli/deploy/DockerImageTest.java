package io.loadgen.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.cli.deploy.Dockerfile.Instruction;
import io.loadgen.cli.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * src/docker/Dockerfile and the Jib profile, read and checked against the build: no Docker engine
 * runs where these tests run, so this is what checks the image definition on every build (the
 * guide, src/k8s/README.md, says so). Where Docker runs, {@code docker build} checks the rest.
 */
class DockerImageTest {
  private static final Path ROOT = Manifests.root();
  private static final Dockerfile DOCKERFILE =
      Dockerfile.read(ROOT.resolve("src/docker/Dockerfile"));
  private static final Pattern TEMURIN = Pattern.compile("eclipse-temurin:(\\d+)-(jdk|jre)");

  @Test
  void theImageRunsAsANumericUserThatIsNotRoot() {
    Stage runtime = DOCKERFILE.runtime();
    Instruction user = runtime.last("USER");
    assertTrue(user != null, "the runtime stage sets no USER, so the image runs as root");
    String[] ids = user.arguments().trim().split(":");
    // Numeric, so that Kubernetes' runAsNonRoot can check it without the image's /etc/passwd.
    for (String id : ids) {
      assertTrue(id.matches("\\d+"), "USER " + user.arguments() + " is not numeric");
      assertNotEquals(0L, Long.parseLong(id), "USER " + user.arguments() + " is root");
    }
    // The user exists in the image with that id, so that java finds a home (user.home) for it.
    String created =
        runtime.all("RUN").stream()
            .map(Instruction::arguments)
            .filter(r -> r.contains("useradd"))
            .findFirst()
            .orElse("");
    assertTrue(
        created.contains("--uid " + ids[0]),
        "no useradd --uid " + ids[0] + " in the runtime stage");
    // Nothing after USER switches back to root.
    int at = runtime.instructions().indexOf(user);
    for (Instruction later : runtime.instructions().subList(at, runtime.instructions().size())) {
      assertFalse(
          later.keyword().equals("RUN"),
          "RUN after USER runs as the user, keep it before: " + later);
    }
  }

  @Test
  void theEntrypointRunsTheFatJarTheBuildStageProduces() {
    List<String> entrypoint = Dockerfile.execForm(DOCKERFILE.runtime().last("ENTRYPOINT"));
    assertEquals("java", entrypoint.get(0));
    int jarFlag = entrypoint.indexOf("-jar");
    assertTrue(jarFlag > 0, "ENTRYPOINT runs no jar: " + entrypoint);
    assertEquals(
        jarFlag + 2,
        entrypoint.size(),
        "nothing after the jar, so that CMD and args are loadgen's");
    String imageJar = entrypoint.get(jarFlag + 1);
    assertTrue(
        entrypoint.subList(1, jarFlag).stream()
            .anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage=")),
        "the heap follows the container's memory limit: " + entrypoint);

    // COPY --from=build <build WORKDIR>/loadgen-cli/target/<shade finalName>.jar <imageJar>
    Stage build = DOCKERFILE.stage("build");
    String workdir = build.last("WORKDIR").arguments().trim();
    String expectedSource = workdir + "/loadgen-cli/target/" + Poms.cli().shadedJarName();
    List<String> copy =
        DOCKERFILE.runtime().all("COPY").stream()
            .map(i -> Arrays.asList(i.arguments().trim().split("\\s+")))
            .filter(args -> args.get(0).equals("--from=build"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("the runtime stage copies nothing from the build stage"));
    assertEquals(List.of("--from=build", expectedSource, imageJar), copy);

    // The build stage makes that jar: Maven's package phase, for loadgen-cli and what it needs.
    String maven = build.last("RUN").arguments();
    assertTrue(maven.contains("./mvnw"), maven);
    assertTrue(maven.contains("package"), maven);
    assertTrue(maven.contains("-pl loadgen-cli") && maven.contains("-am"), maven);
  }

  @Test
  void theBuildStageCopiesSourcesThatExistAndEveryModuleTheParentPomLists() {
    Stage build = DOCKERFILE.stage("build");
    List<String> sources = new ArrayList<>();
    for (Instruction copy : build.all("COPY")) {
      List<String> args = new ArrayList<>(Arrays.asList(copy.arguments().trim().split("\\s+")));
      args.removeIf(a -> a.startsWith("--"));
      assertTrue(args.size() >= 2, "COPY " + copy.arguments());
      for (String source : args.subList(0, args.size() - 1)) {
        assertTrue(
            Files.exists(ROOT.resolve(source)), "COPY " + source + ": not in the repository");
        sources.add(source.endsWith("/") ? source.substring(0, source.length() - 1) : source);
      }
    }
    assertTrue(sources.containsAll(List.of("mvnw", ".mvn", "pom.xml")), sources.toString());
    for (String module : Poms.parent().texts("/project/modules/module")) {
      assertTrue(
          sources.contains(module) || sources.contains(module + "/pom.xml"),
          "module " + module + " is not copied into the build stage: Maven would not find it");
    }
  }

  @Test
  void theDockerignoreKeepsLocalBuildOutputAndGitOutOfTheContext() throws IOException {
    // BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile; the repository root has none.
    List<String> patterns =
        Files.readAllLines(ROOT.resolve("src/docker/Dockerfile.dockerignore")).stream()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertTrue(patterns.contains("**/target"), patterns.toString());
    assertTrue(patterns.contains(".git"), patterns.toString());
  }

  @Test
  void theBasesAreTemurinsJdkToBuildAndJreToRunAtTheCompilersRelease() {
    int release =
        Integer.parseInt(Poms.parent().text("/project/properties/maven.compiler.release"));
    Matcher build = TEMURIN.matcher(DOCKERFILE.stage("build").image());
    Matcher runtime = TEMURIN.matcher(DOCKERFILE.runtime().image());
    assertTrue(build.matches() && build.group(2).equals("jdk"), DOCKERFILE.stage("build").image());
    assertTrue(runtime.matches() && runtime.group(2).equals("jre"), DOCKERFILE.runtime().image());
    assertTrue(Integer.parseInt(build.group(1)) >= release);
    assertTrue(Integer.parseInt(runtime.group(1)) >= release);
  }

  @Test
  void theDefaultCommandIsOneLoadgenAccepts() {
    List<String> cmd = Dockerfile.execForm(DOCKERFILE.runtime().last("CMD"));
    CommandLine.ParseResult result = LoadgenCli.parse(cmd);
    assertTrue(result.isUsageHelpRequested() || result.subcommand() != null, "CMD " + cmd);
  }

  @Test
  void theJibProfileBuildsTheImageTheDockerfileDescribes() {
    Poms cli = Poms.cli();
    String jib = Poms.JIB + "/configuration";
    assertEquals("${jib-maven-plugin.version}", cli.text(Poms.JIB + "/version"));
    assertEquals("3.5.2", Poms.parent().text("/project/properties/jib-maven-plugin.version"));
    assertEquals(DOCKERFILE.runtime().image(), cli.text(jib + "/from/image"));

    List<String> entrypoint = Dockerfile.execForm(DOCKERFILE.runtime().last("ENTRYPOINT"));
    assertEquals(entrypoint, List.of(cli.text(jib + "/container/entrypoint").split(",")));
    assertEquals(
        Dockerfile.execForm(DOCKERFILE.runtime().last("CMD")), cli.texts(jib + "/container/args"));
    assertEquals(
        DOCKERFILE.runtime().last("USER").arguments().trim(), cli.text(jib + "/container/user"));
    assertEquals(
        DOCKERFILE.runtime().last("EXPOSE").arguments().trim(),
        cli.text(jib + "/container/ports/port"));
    Map<String, String> environment = new LinkedHashMap<>();
    for (String name : DOCKERFILE.runtime().environment().keySet()) {
      environment.put(name, cli.text(jib + "/container/environment/" + name));
    }
    assertEquals(DOCKERFILE.runtime().environment(), environment);

    // The shaded jar alone, where the entrypoint expects it; Jib's own /app layers filtered out.
    String imageJar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
    String extra = jib + "/extraDirectories/paths/path";
    assertEquals("${project.build.directory}", cli.text(extra + "/from"));
    assertEquals(cli.shadedJarName(), cli.text(extra + "/includes"));
    assertEquals(imageJar, cli.text(extra + "/into") + "/" + cli.shadedJarName());
    assertEquals(
        "/app/**",
        cli.text(jib + "/pluginExtensions/pluginExtension/configuration/filters/filter/glob"));
    assertEquals("package", cli.text(Poms.JIB + "/executions/execution/phase"));
    assertEquals("buildTar", cli.text(Poms.JIB + "/executions/execution/goals/goal"));
  }
}
