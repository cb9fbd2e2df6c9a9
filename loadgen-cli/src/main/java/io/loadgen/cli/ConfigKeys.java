package io.loadgen.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The config file's key for each of {@code profile}'s flags. A flag genai-perf's config file has a
 * key for takes genai-perf's key ({@code endpoint.url}, {@code input.synthetic_tokens.mean}, ...);
 * every other flag, loadgen's own and any added later, is {@code loadgen.NAME}, its long name with
 * dashes as underscores ({@code --kv-metric}: {@code loadgen.kv_metric}), so no flag lacks a key.
 */
final class ConfigKeys {
  /** The section that holds the flags genai-perf's file has no key for. */
  static final String LOADGEN_SECTION = "loadgen";

  private static final String STIMULUS = "perf_analyzer.stimulus.";

  /** Flags that are not settings: help, version, and the config file itself. */
  static final Set<String> NOT_SETTINGS = Set.of("--help", "--version", "--config");

  // genai-perf's key by one of the flag's names; flags that do not exist (yet) are passed over.
  private static final Map<String, String> GENAI_PERF = new LinkedHashMap<>();

  static {
    GENAI_PERF.put("--model", "model_names");
    GENAI_PERF.put("--model-selection-strategy", "endpoint.model_selection_strategy");
    GENAI_PERF.put("--backend", "endpoint.backend");
    GENAI_PERF.put("--endpoint", "endpoint.custom");
    GENAI_PERF.put("--endpoint-type", "endpoint.type");
    GENAI_PERF.put("--service-kind", "endpoint.service_kind");
    GENAI_PERF.put("--streaming", "endpoint.streaming");
    GENAI_PERF.put("--url", "endpoint.url");
    GENAI_PERF.put("--server-metrics-url", "endpoint.server_metrics_urls");
    GENAI_PERF.put("--concurrency", "perf_analyzer.stimulus.concurrency");
    GENAI_PERF.put("--request-rate", "perf_analyzer.stimulus.request_rate");
    GENAI_PERF.put("--session-concurrency", "perf_analyzer.stimulus.session_concurrency");
    GENAI_PERF.put("--stability-percentage", "perf_analyzer.stability_percentage");
    GENAI_PERF.put("--measurement-interval", "perf_analyzer.measurement_interval");
    GENAI_PERF.put("--warmup-request-count", "perf_analyzer.warmup_request_count");
    GENAI_PERF.put("--request-count", "perf_analyzer.request_count");
    GENAI_PERF.put("--batch-size-text", "input.batch_size");
    GENAI_PERF.put("--extra-inputs", "input.extra");
    GENAI_PERF.put("--goodput", "input.goodput");
    GENAI_PERF.put("--header", "input.header");
    GENAI_PERF.put("--input-file", "input.file");
    GENAI_PERF.put("--num-dataset-entries", "input.num_dataset_entries");
    GENAI_PERF.put("--random-seed", "input.random_seed");
    GENAI_PERF.put("--output-tokens-mean", "input.output_tokens.mean");
    GENAI_PERF.put("--output-tokens-mean-deterministic", "input.output_tokens.deterministic");
    GENAI_PERF.put("--output-tokens-stddev", "input.output_tokens.stddev");
    GENAI_PERF.put("--synthetic-input-tokens-mean", "input.synthetic_tokens.mean");
    GENAI_PERF.put("--synthetic-input-tokens-stddev", "input.synthetic_tokens.stddev");
    GENAI_PERF.put("--num-prefix-prompts", "input.prefix_prompt.num");
    GENAI_PERF.put("--prefix-prompt-length", "input.prefix_prompt.length");
    GENAI_PERF.put("--num-sessions", "input.sessions.num");
    GENAI_PERF.put("--session-turns-mean", "input.sessions.turns.mean");
    GENAI_PERF.put("--session-turns-stddev", "input.sessions.turns.stddev");
    GENAI_PERF.put("--session-turn-delay-mean", "input.sessions.turn_delay.mean");
    GENAI_PERF.put("--session-turn-delay-stddev", "input.sessions.turn_delay.stddev");
    GENAI_PERF.put("--artifact-dir", "output.artifact_directory");
    GENAI_PERF.put("--checkpoint-dir", "output.checkpoint_directory");
    GENAI_PERF.put("--profile-export-file", "output.profile_export_file");
    GENAI_PERF.put("--generate-plots", "output.generate_plots");
    GENAI_PERF.put("--tokenizer", "tokenizer.name");
    GENAI_PERF.put("--tokenizer-revision", "tokenizer.revision");
    GENAI_PERF.put("--tokenizer-trust-remote-code", "tokenizer.trust_remote_code");
  }

  // genai-perf's other spellings of a key: model_name beside model_names, its input section's
  // warm-up.
  private static final Map<String, String> ALIASES =
      Map.of(
          "model_name", "model_names",
          "input.request_count.warmup", "perf_analyzer.warmup_request_count");

  private final Map<String, OptionSpec> byKey;

  private ConfigKeys(Map<String, OptionSpec> byKey) {
    this.byKey = byKey;
  }

  /** The keys of every setting of {@code command} (its options but {@link #NOT_SETTINGS}). */
  static ConfigKeys of(CommandSpec command) {
    Map<String, OptionSpec> byKey = new LinkedHashMap<>();
    for (OptionSpec option : command.options()) {
      if (!isSetting(option)) {
        continue;
      }
      OptionSpec clash = byKey.put(key(option), option);
      if (clash != null) {
        throw new IllegalStateException(
            key(option) + " is the key of " + clash.longestName() + " and " + option.longestName());
      }
    }
    return new ConfigKeys(byKey);
  }

  /** Whether {@code option} has a key: every option but help, version and --config. */
  static boolean isSetting(OptionSpec option) {
    return !option.usageHelp()
        && !option.versionHelp()
        && List.of(option.names()).stream().noneMatch(NOT_SETTINGS::contains);
  }

  /** The key of {@code option}, dotted: genai-perf's where it has one, else loadgen.NAME. */
  static String key(OptionSpec option) {
    for (String name : option.names()) {
      String genaiPerf = GENAI_PERF.get(name);
      if (genaiPerf != null) {
        return genaiPerf;
      }
    }
    return LOADGEN_SECTION
        + "."
        + primaryName(option).replaceFirst("^-+", "").replace('-', '_').toLowerCase(Locale.ROOT);
  }

  /** The first long name, as declared: {@code --request-deadline}, not its alias. */
  private static String primaryName(OptionSpec option) {
    for (String name : option.names()) {
      if (name.startsWith("--")) {
        return name;
      }
    }
    return option.longestName();
  }

  /**
   * The keys that flags replace together: genai-perf's stimulus is one choice (a concurrency or a
   * request rate), so {@code --request-rate} given replaces the file's {@code stimulus.concurrency}
   * too; every other key stands alone.
   */
  static String group(String key) {
    return key.startsWith(STIMULUS) ? STIMULUS : key;
  }

  /**
   * The key meant by an unknown one, or null: one with the same last part under another section
   * ({@code concurrency} for {@code perf_analyzer.stimulus.concurrency}), else one a typo or two
   * away ({@code endpoint.streeming}).
   */
  String suggestion(String unknown) {
    String leaf = unknown.substring(unknown.lastIndexOf('.') + 1);
    String closest = null;
    int distance = 3;
    for (String key : byKey.keySet()) {
      if (key.substring(key.lastIndexOf('.') + 1).equals(leaf)) {
        return key;
      }
      int d = distance(unknown, key);
      if (d < distance) {
        distance = d;
        closest = key;
      }
    }
    return closest;
  }

  /** Levenshtein's edit distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** Every key with its option, in the command's order of options. */
  Map<String, OptionSpec> byKey() {
    return byKey;
  }

  /** The option {@code key} (or a genai-perf alias of it) sets, or null. */
  OptionSpec option(String key) {
    return byKey.get(canonical(key));
  }

  /** The key that {@code key} spells: itself, or the key a genai-perf alias stands for. */
  static String canonical(String key) {
    return ALIASES.getOrDefault(key, key);
  }

  /** Whether {@code prefix} is a section: a key's dotted prefix (endpoint, input.output_tokens). */
  boolean isSection(String prefix) {
    return java.util.stream.Stream.concat(
            byKey.keySet().stream(),
            ALIASES.entrySet().stream()
                .filter(alias -> byKey.containsKey(alias.getValue()))
                .map(Map.Entry::getKey))
        .anyMatch(key -> key.startsWith(prefix + "."));
  }
}
