package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Config files: {@code config -f}, {@code profile --config} and {@code create-template}. */
class ConfigFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The options of profile that are not settings, and so have no key. */
  private static final Set<String> NOT_SETTINGS = Set.of("--help", "--version", "--config");

  private record Run(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.lines().filter(line -> !line.isBlank()).toList();
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static void assertOneLineError(Run run, String expected) {
    assertEquals(2, run.exitCode(), run.err());
    List<String> lines = run.errLines();
    assertEquals(1, lines.size(), "expected one line on stderr, got: " + run.err());
    assertTrue(lines.get(0).startsWith("loadgen: error: "), lines.get(0));
    assertTrue(lines.get(0).contains(expected), lines.get(0));
    assertFalse(run.err().contains("\tat "), run.err());
  }

  private static CommandLine commandLine() {
    return LoadgenCommand.commandLine(
        new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()),
        PerfAnalyzerArgs.of(new String[0]));
  }

  private static CommandSpec profileSpec(CommandLine commandLine) {
    return commandLine.getSubcommands().get("profile").getCommandSpec();
  }

  private static Path write(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** The flags a file gives profile, none given on the command line. */
  private static List<String> fileArgs(CommandSpec profile, Path file) {
    ConfigKeys keys = ConfigKeys.of(profile);
    return ConfigArgs.of(ConfigFile.read(file, keys), keys, profile, Set.of()).args();
  }

  /** A YAML value its option converts, by the option's type. */
  private static String sample(OptionSpec option) {
    Class<?> type =
        option.isMultiValue() && option.auxiliaryTypes().length > 0
            ? option.auxiliaryTypes()[0]
            : option.type();
    String value;
    if (type == boolean.class || type == Boolean.class) {
      return "true";
    } else if (type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class) {
      value = "3";
    } else if (type == double.class || type == Double.class) {
      value = "2.5";
    } else {
      value = option.paramLabel().contains(":") ? "\"a:1\"" : "x";
    }
    return option.isMultiValue() ? "[" + value + "]" : value;
  }

  /** YAML setting one dotted key. */
  private static String yaml(String key, String value) {
    String[] path = key.split("\\.");
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < path.length; i++) {
      yaml.append("  ".repeat(i)).append(path[i]).append(':');
      yaml.append(i == path.length - 1 ? " " + value + "\n" : "\n");
    }
    return yaml.toString();
  }

  @Test
  void everyProfileOptionButHelpVersionAndConfigIsSetByAKeyOfTheFile(@TempDir Path dir)
      throws IOException {
    CommandLine commandLine = commandLine();
    CommandSpec profile = profileSpec(commandLine);
    List<String> keys = new ArrayList<>();
    for (OptionSpec option : profile.options()) {
      if (List.of(option.names()).stream().anyMatch(NOT_SETTINGS::contains)) {
        assertFalse(ConfigKeys.isSetting(option), option.longestName());
        continue;
      }
      String key = ConfigKeys.key(option);
      keys.add(key);
      Path file = write(dir, yaml(key, sample(option)));
      List<String> args = new ArrayList<>(List.of("profile"));
      args.addAll(fileArgs(profile, file));
      CommandLine.ParseResult parsed = commandLine.parseArgs(args.toArray(String[]::new));
      assertTrue(
          parsed.subcommand().hasMatchedOption(option),
          option.longestName() + " is not set by " + key + " (args " + args + ")");
    }
    assertEquals(keys.size(), Set.copyOf(keys).size(), "a key sets two flags: " + keys);
    for (String key : keys) {
      for (String other : keys) {
        assertFalse(other.startsWith(key + "."), key + " is both a setting and a section");
      }
    }
    assertTrue(keys.size() > 40, keys.toString());
  }

  @Test
  void genaiPerfsKeysNameTheFlagsItHasAndLoadgensOwnAreUnderLoadgen() {
    Map<String, String> keys = new LinkedHashMap<>();
    ConfigKeys.of(profileSpec(commandLine()))
        .byKey()
        .forEach((key, option) -> keys.put(option.longestName(), key));
    assertEquals("model_names", keys.get("--model"));
    assertEquals("endpoint.url", keys.get("--url"));
    assertEquals("endpoint.type", keys.get("--endpoint-type"));
    assertEquals("perf_analyzer.stimulus.concurrency", keys.get("--concurrency"));
    assertEquals("input.synthetic_tokens.mean", keys.get("--synthetic-input-tokens-mean"));
    assertEquals(
        "input.output_tokens.deterministic", keys.get("--output-tokens-mean-deterministic"));
    assertEquals("output.artifact_directory", keys.get("--artifact-dir"));
    assertEquals("tokenizer.name", keys.get("--tokenizer"));
    assertEquals("endpoint.server_metrics_urls", keys.get("--server-metrics-urls"));
    assertEquals("perf_analyzer.request_count", keys.get("--request-count"));
    assertEquals("input.sessions.num", keys.get("--num-sessions"));
    assertEquals("input.sessions.turn_delay.mean", keys.get("--session-turn-delay-mean"));
    assertEquals("perf_analyzer.stimulus.session_concurrency", keys.get("--session-concurrency"));
    assertEquals("loadgen.kv_metric", keys.get("--kv-metric"));
    assertEquals("loadgen.request_deadline", keys.get("--request-timeout-seconds"));
    assertEquals("loadgen.burstiness", keys.get("--burstiness"));
    assertEquals("loadgen.benchmark_duration", keys.get("--benchmark-duration"));
    assertEquals("loadgen.request_cancellation_rate", keys.get("--request-cancellation-rate"));
    assertEquals("loadgen.server_metrics_interval", keys.get("--server-metrics-interval"));
  }

  @Test
  void theTemplateLoadsBackAsTheDefaultsOfEveryFlag(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("template.yaml");
    Run written = run("create-template", "-o", file.toString());
    assertEquals(0, written.exitCode(), written.err());
    assertTrue(written.out().contains("Template: "), written.out());
    String template = Files.readString(file);
    assertTrue(template.contains("\nendpoint:\n"), template);
    assertTrue(template.contains("  # -u, --url: "), template);
    assertTrue(template.contains("\nloadgen:\n"), template);

    CommandLine commandLine = commandLine();
    CommandSpec profile = profileSpec(commandLine);
    Map<String, Object> defaults = values(commandLine, List.of("profile"));
    List<String> args = new ArrayList<>(List.of("profile"));
    args.addAll(fileArgs(profile, file));
    assertEquals(defaults, values(commandLine, args));
    // Every setting is in the template, a key of its own.
    for (String key : ConfigKeys.of(profile).byKey().keySet()) {
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      assertTrue(template.contains(leaf + ":"), key);
    }
  }

  @Test
  void theTemplateGoesToStandardOutputWithADash() {
    Run run = run("create-template", "-o", "-");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("# loadgen config file"), run.out());
    assertTrue(run.out().contains("\nperf_analyzer:\n  stimulus:\n"), run.out());
  }

  @Test
  void aTemplateThatCannotBeWrittenIsOneLine(@TempDir Path dir) {
    Path nowhere = dir.resolve("missing/template.yaml");
    assertOneLineError(
        run("create-template", "-o", nowhere.toString()),
        "cannot write the template to " + nowhere);
  }

  private static Map<String, Object> values(CommandLine commandLine, List<String> args) {
    commandLine.parseArgs(args.toArray(String[]::new));
    Map<String, Object> values = new LinkedHashMap<>();
    for (OptionSpec option : profileSpec(commandLine).options()) {
      Object value = option.getValue();
      values.put(option.longestName(), value == null ? null : value.toString());
    }
    return values;
  }

  @Tag("e2e")
  @Test
  void aConfigFileRunsTheProfileItDescribesAgainstTheSimulator(@TempDir Path dir)
      throws IOException {
    Path file =
        write(
            dir,
            """
            model_names: from-file
            endpoint:
              type: chat
              streaming: true
              url: sim://default
            perf_analyzer:
              stimulus:
                concurrency: 2
              request_count: 6
            input:
              random_seed: 7
              synthetic_tokens:
                mean: 20
              output_tokens:
                mean: 5
              extra:
                ignore_eos: true
            output:
              artifact_directory: %s
            loadgen:
              kv_metric: my_kv_gauge
              server_metrics_interval: 0
            """
                .formatted(JSON.writeValueAsString(dir.resolve("artifacts").toString())));
    Run run = run("config", "-f", file.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode config =
        JSON.readTree(
                dir.resolve(
                        "artifacts/from-file-openai-chat-concurrency2/profile_export_genai_perf.json")
                    .toFile())
            .path("input_config");
    assertEquals("from-file", config.path("model").get(0).asText(), config.toString());
    assertTrue(config.path("streaming").asBoolean(), config.toString());
    assertEquals(2, config.path("concurrency").asInt(), config.toString());
    assertEquals(6, config.path("request_count").asInt(), config.toString());
    assertEquals(7, config.path("random_seed").asLong(), config.toString());
    assertEquals(20.0, config.path("synthetic_input_tokens_mean").asDouble(), config.toString());
    assertEquals(5.0, config.path("output_tokens_mean").asDouble(), config.toString());
    assertTrue(config.path("extra_inputs").path("ignore_eos").asBoolean(), config.toString());
    assertEquals("my_kv_gauge", config.path("kv_metric").asText(), config.toString());

    // Flags win over the file, by profile --config and by config -f alike.
    Run overridden =
        run(
            "profile",
            "--config",
            file.toString(),
            "--concurrency",
            "1",
            "--request-count",
            "3",
            "-m",
            "from-flag");
    assertEquals(0, overridden.exitCode(), overridden.err());
    JsonNode flagged =
        JSON.readTree(
                dir.resolve(
                        "artifacts/from-flag-openai-chat-concurrency1/profile_export_genai_perf.json")
                    .toFile())
            .path("input_config");
    assertEquals(1, flagged.path("concurrency").asInt(), flagged.toString());
    assertEquals(3, flagged.path("request_count").asInt(), flagged.toString());
    assertEquals(7, flagged.path("random_seed").asLong(), "the file's, not given as a flag");
    Run configWithFlag = run("config", "-f", file.toString(), "--random-seed", "9", "-m", "again");
    assertEquals(0, configWithFlag.exitCode(), configWithFlag.err());
    JsonNode again =
        JSON.readTree(
                dir.resolve(
                        "artifacts/again-openai-chat-concurrency2/profile_export_genai_perf.json")
                    .toFile())
            .path("input_config");
    assertEquals(9, again.path("random_seed").asLong(), again.toString());
  }

  @Test
  void flagsGivenLeaveTheFilesSettingOfThemOut(@TempDir Path dir) throws IOException {
    CommandLine commandLine = commandLine();
    CommandSpec profile = profileSpec(commandLine);
    Path file =
        write(
            dir,
            "perf_analyzer:\n  stimulus:\n    concurrency: [4, 8]\ninput:\n  random_seed: 5\n");
    CommandLine.ParseResult given = commandLine.parseArgs("profile", "--concurrency", "2");
    ConfigKeys keys = ConfigKeys.of(profile);
    List<String> args =
        ConfigArgs.of(
                ConfigFile.read(file, keys),
                keys,
                profile,
                Set.copyOf(given.subcommand().matchedOptions()))
            .args();
    assertEquals(List.of("--random-seed=5"), args);
    // genai-perf's stimulus is one choice: a request rate given replaces the file's concurrency.
    CommandLine.ParseResult rate = commandLine.parseArgs("profile", "--request-rate", "3");
    assertEquals(
        List.of("--random-seed=5"),
        ConfigArgs.of(
                ConfigFile.read(file, keys),
                keys,
                profile,
                Set.copyOf(rate.subcommand().matchedOptions()))
            .args());
    assertEquals(
        List.of("--concurrency=4", "--concurrency=8", "--random-seed=5"), fileArgs(profile, file));
  }

  @Test
  void genaiPerfsOtherSpellingsOfAKeyAreReadAndOneFlagSetTwiceIsAnError(@TempDir Path dir)
      throws IOException {
    CommandSpec profile = profileSpec(commandLine());
    Path file = write(dir, "model_name: m\ninput:\n  request_count:\n    warmup: 4\n");
    assertEquals(List.of("--model=m", "--warmup-request-count=4"), fileArgs(profile, file));
    Path twice = write(dir, "model_names: a\nmodel_name: b\n");
    assertOneLineError(
        run("config", "-f", twice.toString()),
        twice + " line 2: 'model_name' sets what 'model_names' (line 1) sets");
  }

  @Test
  void booleansAreFlagsAndFalseNegatesANegatableOne(@TempDir Path dir) throws IOException {
    CommandSpec profile = profileSpec(commandLine());
    Path file =
        write(
            dir,
            "endpoint:\n  streaming: false\noutput:\n  generate_plots: true\nloadgen:\n"
                + "  raw_export: false\n");
    assertEquals(List.of("--generate-plots", "--no-raw-export"), fileArgs(profile, file));
    CommandLine commandLine = commandLine();
    List<String> args = new ArrayList<>(List.of("profile"));
    args.addAll(fileArgs(profileSpec(commandLine), file));
    commandLine.parseArgs(args.toArray(String[]::new));
    assertEquals(
        Boolean.FALSE, profileSpec(commandLine).findOption("--raw-export").getValue(), "raw");
  }

  @Test
  void anUnknownKeyIsOneLineNamingTheKeyTheFileAndTheLine(@TempDir Path dir) throws IOException {
    Path file = write(dir, "endpoint:\n  url: sim://default\n  streeming: true\n");
    assertOneLineError(
        run("config", "-f", file.toString()),
        file + " line 3: unknown key 'endpoint.streeming', did you mean 'endpoint.streaming'?");
    Path top = write(dir, "model_names: m\nconcurrency: 4\n");
    assertOneLineError(
        run("profile", "--config", top.toString()),
        top
            + " line 2: unknown key 'concurrency', did you mean"
            + " 'perf_analyzer.stimulus.concurrency'?");
    Path nothingLike = write(dir, "loadgen:\n  frobnicate: 1\n");
    Run run = run("config", "-f", nothingLike.toString());
    assertOneLineError(run, nothingLike + " line 2: unknown key 'loadgen.frobnicate' (see");
    assertFalse(run.err().contains("did you mean"), run.err());
  }

  @Test
  void aFileThatIsNotYamlIsOneLineWithTheFileAndLine(@TempDir Path dir) throws IOException {
    Path file = write(dir, "endpoint:\n  url: [sim://default\n  type: chat\n");
    Run run = run("config", "-f", file.toString());
    assertOneLineError(run, file + " line ");
    assertTrue(run.err().contains("not valid YAML"), run.err());
    Path prose = write(dir, "just some words\n");
    assertOneLineError(
        run("config", "-f", prose.toString()), prose + " line 1: not a YAML mapping of settings");
    Path duplicate = write(dir, "model_names: a\nmodel_names: b\n");
    assertOneLineError(run("config", "-f", duplicate.toString()), duplicate + " line 2");
    assertOneLineError(
        run("config", "-f", dir.resolve("missing.yaml").toString()), "cannot read config file");
  }

  @Test
  void aValueOfTheWrongTypeIsOneLineWithTheFileAndLine(@TempDir Path dir) throws IOException {
    Path list = write(dir, "input:\n  random_seed: [1, 2]\n");
    assertOneLineError(
        run("config", "-f", list.toString()),
        list + " line 2: 'input.random_seed' must be one value, not a list");
    Path word = write(dir, "perf_analyzer:\n  stimulus:\n    concurrency: many\n");
    assertOneLineError(
        run("config", "-f", word.toString()),
        word + " line 3: 'perf_analyzer.stimulus.concurrency' must be a whole number, not 'many'");
    Path flag = write(dir, "endpoint:\n  streaming: yes please\n");
    assertOneLineError(
        run("config", "-f", flag.toString()),
        flag + " line 2: 'endpoint.streaming' must be true or false");
    Path section = write(dir, "endpoint: sim://default\n");
    assertOneLineError(
        run("config", "-f", section.toString()),
        section + " line 1: 'endpoint' is a section: a mapping of settings below it");
    Path tooBig = write(dir, "perf_analyzer:\n  request_count: 99999999999\n");
    assertOneLineError(
        run("config", "-f", tooBig.toString()),
        "(" + tooBig + " line 2: perf_analyzer.request_count)");
  }

  @Test
  void aValueTheRunRejectsIsNamedByItsFlagAndWhereTheFileSetsIt(@TempDir Path dir)
      throws IOException {
    Path file = write(dir, "model_names: m\n\nloadgen:\n  benchmark_duration: -1\n");
    assertOneLineError(
        run("config", "-f", file.toString()),
        "--benchmark-duration must be a positive number of seconds, got -1.0 ("
            + file
            + " line 4: loadgen.benchmark_duration)");
  }

  @Test
  void theReadmesExampleIsAConfigFileOfProfilesFlags(@TempDir Path dir) throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("## Config files"));
    int start = section.indexOf("```yaml\n") + "```yaml\n".length();
    Path file = write(dir, section.substring(start, section.indexOf("```", start)));
    CommandLine commandLine = commandLine();
    List<String> args = new ArrayList<>(List.of("profile"));
    args.addAll(fileArgs(profileSpec(commandLine), file));
    assertTrue(args.contains("--concurrency=50"), args.toString());
    assertTrue(args.contains("--extra-inputs=ignore_eos:true"), args.toString());
    assertTrue(args.contains("--goodput=time_to_first_token:100"), args.toString());
    commandLine.parseArgs(args.toArray(String[]::new));
    CommandSpec profile = profileSpec(commandLine);
    assertEquals(List.of(10, 50, 100), profile.findOption("--concurrency").getValue());
    assertEquals(0.5, (Double) profile.findOption("--burstiness").getValue());
  }

  @Test
  void configNeedsItsFileAndProfileHelpListsTheConfigFlag() {
    Run run = run("config");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--file"), run.err());
    Run help = run("profile", "--help");
    assertEquals(0, help.exitCode(), help.err());
    assertTrue(help.out().contains("--config=FILE"), help.out());
    assertNotNull(run("config", "--help").out());
    assertTrue(run("config", "--help").out().contains("-f, --file=FILE"));
  }
}
