package io.loadgen.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The commands in src/k8s/README.md's code blocks, read as a shell would split them, checked
 * against the CLI (picocli parses every loadgen command line), the manifests (every object, file,
 * path and metric a command names exists) and the build (the image tag, the Jib profile).
 */
class DeploymentGuideTest {
  private static final Path GUIDE = Manifests.k8s().resolve("README.md");
  private static final Set<String> OPERATORS = Set.of("|", "||", "&&", ";", "&");
  private static final Pattern OBJECT_REFERENCE =
      Pattern.compile("^(pod|job|deployment|service|hpa)/([a-z0-9-]+)$");
  private static final Pattern CUSTOM_METRIC =
      Pattern.compile(
          "^/apis/custom\\.metrics\\.k8s\\.io/v1beta1/namespaces/[a-z0-9-]+/pods/\\*/([A-Za-z0-9_:]+)$");

  private static Manifests manifests;
  private static List<List<String>> commands;

  @BeforeAll
  static void readTheGuide() throws IOException {
    manifests = Manifests.load();
    commands = commands(Files.readString(GUIDE));
  }

  @Test
  void everyLoadgenCommandLineInTheGuideIsOneLoadgenAccepts() {
    String image = image();
    int checked = 0;
    for (List<String> command : commands) {
      List<String> args = loadgenArgs(command, image);
      if (args == null) {
        continue;
      }
      checked++;
      try {
        CommandLine.ParseResult result = LoadgenCli.parse(args);
        assertTrue(
            result.subcommand() != null || result.isUsageHelpRequested(),
            String.join(" ", command));
      } catch (CommandLine.ParameterException e) {
        fail(
            "the guide shows a command loadgen rejects ("
                + e.getMessage()
                + "): "
                + String.join(" ", command));
      }
    }
    // kubectl exec ... java -jar, docker run ... sim, docker run ... profile
    assertTrue(checked >= 3, "found only " + checked + " loadgen command lines in the guide");
  }

  @Test
  void everyFileTheGuideNamesExists() {
    int files = 0;
    for (List<String> command : commands) {
      for (String word : command) {
        if (word.startsWith("src/")) {
          files++;
          assertTrue(
              Files.exists(Manifests.root().resolve(word)),
              word + " in: " + String.join(" ", command));
        }
      }
    }
    assertTrue(files >= 5, "the guide names only " + files + " files of src/");
  }

  @Test
  void everyObjectTheGuideNamesIsInTheManifests() {
    int references = 0;
    for (List<String> command : commands) {
      // Objects in another namespace (-n monitoring: prometheus-adapter) are not these manifests'.
      if (command.isEmpty()
          || !command.get(0).equals("kubectl")
          || command.contains("-n")
          || command.contains("--namespace")) {
        continue;
      }
      for (int i = 1; i < command.size(); i++) {
        Matcher reference = OBJECT_REFERENCE.matcher(command.get(i));
        if (reference.matches()) {
          references++;
          assertExists(reference.group(1), reference.group(2), command);
        }
      }
      // kubectl get|describe|delete hpa|job NAME
      if (command.size() > 3
          && Set.of("get", "describe", "delete").contains(command.get(1))
          && Set.of("hpa", "job").contains(command.get(2))
          && !command.get(3).startsWith("-")) {
        references++;
        assertExists(command.get(2), command.get(3), command);
      }
      if (command.get(1).equals("exec")) {
        references++;
        String pod =
            command.stream().skip(2).filter(w -> !w.startsWith("-")).findFirst().orElseThrow();
        assertExists("pod", pod, command);
      }
      if (command.get(1).equals("cp")) {
        references++;
        String[] source = command.get(2).split(":", 2);
        Pod pod = (Pod) assertExists("pod", source[0], command);
        Container container = pod.getSpec().getContainers().get(0);
        assertTrue(
            container.getVolumeMounts().stream()
                .anyMatch(m -> source[1].startsWith(m.getMountPath() + "/")),
            "kubectl cp copies " + source[1] + ", which is on no volume of pod " + source[0]);
      }
    }
    assertTrue(references >= 8, "the guide names only " + references + " objects");
  }

  @Test
  void theCustomMetricsTheGuideQueriesAreTheOnesTheAutoscalersUse() {
    Set<String> used = new TreeSet<>();
    manifests
        .all(HorizontalPodAutoscaler.class)
        .forEach(h -> used.add(h.getSpec().getMetrics().get(0).getPods().getMetric().getName()));
    Set<String> queried = new TreeSet<>();
    for (List<String> command : commands) {
      for (String word : command) {
        Matcher metric = CUSTOM_METRIC.matcher(word);
        if (metric.matches()) {
          queried.add(metric.group(1));
        }
      }
    }
    assertEquals(used, queried);
  }

  @Test
  void theGuideBuildsTheImageTheManifestsRunWithDockerOrJib() {
    String image = image();
    List<String> build =
        commands.stream()
            .filter(c -> c.size() > 2 && c.get(0).equals("docker") && c.get(1).equals("build"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no docker build"));
    assertEquals("src/docker/Dockerfile", build.get(build.indexOf("-f") + 1));
    assertEquals(image, build.get(build.indexOf("-t") + 1));
    assertEquals(".", build.get(build.size() - 1), "the build context is the repository root");
    List<String> jib =
        commands.stream()
            .filter(c -> c.contains("-Pjib"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the guide does not show the Jib build"));
    assertEquals("./mvnw", jib.get(0));
    assertFalse(
        Poms.cli().text(Poms.JIB + "/artifactId").isEmpty(),
        "the jib profile is gone from loadgen-cli");
    assertTrue(jib.contains("package"), "the Jib tar is bound to the package phase: " + jib);
  }

  // --- helpers

  private static String image() {
    return manifests.containers().get(0).getImage();
  }

  /** The arguments to loadgen in a command, or null when it runs something else. */
  private static List<String> loadgenArgs(List<String> command, String image) {
    int java = command.indexOf("java");
    if (java >= 0) {
      int jar = command.indexOf("-jar");
      assertTrue(jar > java && jar + 1 < command.size(), String.join(" ", command));
      String expected =
          command.get(0).equals("kubectl")
              ? "/opt/loadgen/loadgen.jar"
              : "loadgen-cli/target/loadgen.jar";
      assertEquals(expected, command.get(jar + 1), String.join(" ", command));
      return command.subList(jar + 2, command.size());
    }
    if (command.size() > 2 && command.get(0).equals("docker") && command.get(1).equals("run")) {
      int at = command.indexOf(image);
      assertTrue(at > 1, "docker run of another image: " + String.join(" ", command));
      return command.subList(at + 1, command.size());
    }
    return null;
  }

  private static HasMetadata assertExists(String kind, String name, List<String> command) {
    Class<? extends HasMetadata> type =
        switch (kind) {
          case "pod" -> Pod.class;
          case "job" -> Job.class;
          case "deployment" -> Deployment.class;
          case "service" -> Service.class;
          case "hpa" -> HorizontalPodAutoscaler.class;
          default -> throw new AssertionError(kind);
        };
    return manifests.all(type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "the guide names "
                        + kind
                        + " "
                        + name
                        + ", which no manifest defines: "
                        + String.join(" ", command)));
  }

  /**
   * The simple commands in the guide's fenced code blocks, each split into words as a POSIX shell
   * splits them: backslash-newline joins lines, quotes group, # starts a comment, and |, &&, ||, ;
   * and & end a command.
   */
  static List<List<String>> commands(String markdown) {
    List<List<String>> commands = new ArrayList<>();
    boolean inBlock = false;
    StringBuilder script = new StringBuilder();
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        if (inBlock) {
          commands.addAll(split(script.toString()));
          script.setLength(0);
        }
        inBlock = !inBlock;
      } else if (inBlock) {
        script.append(line).append('\n');
      }
    }
    assertFalse(inBlock, "an unclosed code block in the guide");
    return commands;
  }

  private static List<List<String>> split(String script) {
    String joined = script.replace("\\\n", " ");
    List<List<String>> commands = new ArrayList<>();
    for (String line : joined.split("\n")) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      boolean inWord = false;
      char quote = 0;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          } else {
            word.append(c);
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
          inWord = true;
        } else if (Character.isWhitespace(c)) {
          if (inWord) {
            words.add(word.toString());
            word.setLength(0);
            inWord = false;
          }
        } else if (c == '#' && !inWord) {
          break;
        } else if (c == '|' || c == '&' || c == ';') {
          if (inWord) {
            words.add(word.toString());
            word.setLength(0);
            inWord = false;
          }
          String operator =
              (i + 1 < line.length() && line.charAt(i + 1) == c) ? "" + c + c : "" + c;
          i += operator.length() - 1;
          words.add(operator);
        } else {
          word.append(c);
          inWord = true;
        }
      }
      assertEquals(0, quote, "an unclosed quote in the guide: " + line);
      if (inWord) {
        words.add(word.toString());
      }
      List<String> current = new ArrayList<>();
      for (String w : words) {
        if (OPERATORS.contains(w)) {
          if (!current.isEmpty()) {
            commands.add(List.copyOf(current));
          }
          current.clear();
        } else {
          current.add(w);
        }
      }
      if (!current.isEmpty()) {
        commands.add(List.copyOf(current));
      }
    }
    return commands;
  }

  @Test
  void theShellSplitterSplitsAsAShellDoes() {
    assertEquals(
        List.of(List.of("kubectl", "get", "--raw", "/a/*/b"), List.of("jq", ".")),
        commands("```sh\nkubectl get --raw \"/a/*/b\" | jq .\n```\n"));
    assertEquals(
        List.of(List.of("java", "-jar", "x.jar", "profile", "-u", "h:1", "--", "-v")),
        commands("```\njava -jar x.jar profile \\\n  -u h:1 -- -v   # a comment\n```\n"));
    assertEquals(
        List.of(List.of("a"), List.of("b"), List.of("c", "it's")),
        commands("```\na && b & c 'it'\"'\"'s'\n```\nnot code\n"));
  }
}
