package io.loadgen.core.internal.engine;

import io.loadgen.core.EndpointType;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import io.loadgen.core.Workload;
import io.loadgen.core.internal.client.RequestBodies;
import io.loadgen.core.internal.input.InputFile;
import io.loadgen.core.internal.input.InputRecord;
import io.loadgen.tokenizer.PromptSynthesizer;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The requests of a run, made before the first send as genai-perf makes them: synthetic prompts
 * ({@code --num-dataset-entries} of them, lengths drawn from the input distribution, exact under
 * the profile's tokenizer, each after one of the shared prefixes when there are any), or the lines
 * of an input file. Requests cycle through the entries in order. A payload file also fixes when
 * each is sent: {@link #scheduleNanos()}.
 */
final class Dataset {
  /**
   * Tokens per {@code hash_ids} block, as in the Mooncake traces: a trace's request whose prompt is
   * {@code n} blocks long lists {@code n} ids, and requests sharing a prefix share its first ids.
   */
  static final int TRACE_BLOCK_TOKENS = 512;

  /** Mixed into the seed of the warm-up's prompts, so that they are no level's. */
  private static final long WARMUP_SALT = 0x5741524D55504C47L;

  private final List<DatasetEntry> entries;
  private final List<DatasetEntry> warmupEntries;
  private final long[] scheduleNanos;

  /** A file of chat sessions: each session's turns, in the file's order; null otherwise. */
  private List<List<FileTurn>> fileSessions;

  /** One turn of a file's session: the messages it adds, and its delay (ms), or null. */
  record FileTurn(List<Map.Entry<String, String>> messages, Long delayMillis) {}

  private Dataset(
      List<DatasetEntry> entries, List<DatasetEntry> warmupEntries, long[] scheduleNanos) {
    this.entries = entries;
    this.warmupEntries = warmupEntries;
    this.scheduleNanos = scheduleNanos;
  }

  /** The sessions of an input file whose lines have {@code session_id}s; null otherwise. */
  List<List<FileTurn>> fileSessions() {
    return fileSessions;
  }

  static Dataset of(Profile profile, Tokenizer tokenizer) {
    return of(profile, tokenizer, 0);
  }

  /**
   * The dataset of a sweep's level {@code level} (0 for a run of its own). Each level's prompts are
   * its own, drawn from the seed: a server with a prefix cache would otherwise serve a level from
   * the one before, and flatter it. The shared prefixes and the lengths stay those of level 0.
   */
  static Dataset of(Profile profile, Tokenizer tokenizer, int level) {
    return of(profile, tokenizer, level, Runtime.getRuntime().maxMemory());
  }

  /** As {@link #of(Profile, Tokenizer, int)}, with a heap of {@code maxHeapBytes}: for tests. */
  static Dataset of(Profile profile, Tokenizer tokenizer, int level, long maxHeapBytes) {
    return profile.workload().inputFile() == null
        ? synthetic(profile, tokenizer, level, maxHeapBytes)
        : fromFile(profile, tokenizer);
  }

  private static Dataset synthetic(
      Profile profile, Tokenizer tokenizer, int level, long maxHeapBytes) {
    int[] inputLengths =
        lengths(
            profile.workload().inputTokens(),
            profile,
            profile.workload().randomSeed(),
            Workload.MAX_PROMPT_TOKENS);
    // A ramp sends for a time, not a count: it draws on as many prompts of its own as the run has.
    int warmups =
        Math.min(
            profile.load().rampUp() != null
                ? profile.workload().numDatasetEntries()
                : profile.load().warmupRequestCount(),
            profile.workload().numDatasetEntries());
    checkFitsInHeap(profile, inputLengths, warmups, maxHeapBytes);
    SplittableRandom random = new SplittableRandom(profile.workload().randomSeed());
    PromptSynthesizer prompts = new PromptSynthesizer(tokenizer, profile.workload().randomSeed());
    List<String> prefixes = new ArrayList<>();
    for (int i = 0; i < profile.workload().numPrefixPrompts(); i++) {
      prefixes.add(prompts.next(profile.workload().prefixPromptLength()));
    }
    if (level > 0) {
      prompts = new PromptSynthesizer(tokenizer, levelSeed(profile.workload().randomSeed(), level));
    }
    RequestBodies bodies = bodies(profile);
    TokenLengthDistribution output = profile.workload().outputTokens();
    int[] outputLengths =
        output == null
            ? new int[profile.workload().numDatasetEntries()]
            : lengths(
                output, profile, profile.workload().randomSeed() + 1, Workload.MAX_OUTPUT_TOKENS);
    Entries build =
        new Entries(profile, tokenizer, bodies, prefixes, random, inputLengths, outputLengths);
    List<DatasetEntry> entries = build.of(prompts, profile.workload().numDatasetEntries());
    // Warm-up requests draw prompts of their own, from a stream of the seed no level uses: sent
    // from the measured entries, they would put the measured prompts in a prefix cache first.
    List<DatasetEntry> warmupEntries =
        warmups == 0
            ? List.of()
            : build.of(
                new PromptSynthesizer(
                    tokenizer, levelSeed(profile.workload().randomSeed() ^ WARMUP_SALT, level)),
                warmups);
    return new Dataset(entries, warmupEntries, null);
  }

  /** Makes entries of the same lengths, prefixes and bodies from a stream of prompts. */
  private record Entries(
      Profile profile,
      Tokenizer tokenizer,
      RequestBodies bodies,
      List<String> prefixes,
      SplittableRandom random,
      int[] inputLengths,
      int[] outputLengths) {
    List<DatasetEntry> of(PromptSynthesizer prompts, int count) {
      List<DatasetEntry> entries = new ArrayList<>(count);
      EndpointType type = profile.endpoint().type();
      for (int i = 0; i < count; i++) {
        int inputTokens = inputLengths[i];
        if (!type.generative()) {
          entries.add(retrieval(prompts, inputTokens));
          continue;
        }
        String prompt = prompts.next(inputTokens);
        if (!prefixes.isEmpty()) {
          // The prefix comes on top of the sampled length, as in genai-perf; the recorded length is
          // the whole prompt's, counted again, since tokens may merge where the two meet.
          prompt = prefixes.get(random.nextInt(prefixes.size())) + prompt;
          inputTokens = tokenizer.count(prompt);
        }
        int maxTokens = outputLengths[i];
        entries.add(
            entry(
                profile,
                bodies.body(prompt, maxTokens, profile.workload().outputTokensDeterministic()),
                inputTokens,
                maxTokens,
                prompt));
      }
      return List.copyOf(entries);
    }

    /**
     * An embeddings or rankings entry: {@code --batch-size-text} texts of the sampled length (and
     * for rankings a query of it too), whose input length is all their tokens together.
     */
    private DatasetEntry retrieval(PromptSynthesizer prompts, int length) {
      boolean ranking = profile.endpoint().type() == EndpointType.RANKINGS;
      String query = ranking ? prompts.next(length) : null;
      List<String> texts = new ArrayList<>(profile.workload().batchSizeText());
      int tokens = ranking ? length : 0;
      for (int t = 0; t < profile.workload().batchSizeText(); t++) {
        texts.add(prompts.next(length));
        tokens += length;
      }
      return entry(profile, bodies.retrievalBody(query, texts), tokens, 0);
    }
  }

  /**
   * The seed of level {@code level}'s prompts: a stream split from the run's seed, so that no
   * level's draws are another's shifted (as {@code seed + level * gamma} would be, SplittableRandom
   * stepping its seed by that gamma).
   */
  static long levelSeed(long seed, int level) {
    SplittableRandom streams = new SplittableRandom(seed);
    SplittableRandom stream = streams;
    for (int i = 0; i < level; i++) {
      stream = streams.split();
    }
    return stream.nextLong();
  }

  /**
   * The dataset's lengths, stratified so that the entries the run's requests use follow the
   * distribution: the first {@code requests} entries (requests cycle through the dataset from its
   * start) are one stratified set, the rest another.
   */
  private static int[] lengths(
      TokenLengthDistribution distribution, Profile profile, long seed, int maxTokens) {
    int size = profile.workload().numDatasetEntries();
    int requests = profile.effectiveRequestCount();
    int first = requests > 0 ? Math.min(requests, size) : size;
    int[] lengths = java.util.Arrays.copyOf(distribution.stratifiedLengths(first, seed), size);
    System.arraycopy(
        distribution.stratifiedLengths(size - first, seed + 2), 0, lengths, first, size - first);
    for (int i = 0; i < size; i++) {
      // A wide distribution's tail is cut at the longest length the workload allows.
      lengths[i] = Math.min(lengths[i], maxTokens);
    }
    return lengths;
  }

  /**
   * Bytes a synthetic prompt holds per token, an estimate with room to spare: English text is 4 to
   * 5 characters a token, held twice (the request body as a string and as bytes), and made in a
   * builder of 6 bytes a token.
   */
  static final long HEAP_BYTES_PER_TOKEN = 16;

  /** What an entry holds besides its prompt: the body's other fields, the entry and its buffer. */
  static final long HEAP_BYTES_PER_ENTRY = 512;

  /**
   * Fails, before any prompt is made, when the prompts would take more than half the heap: they are
   * all made before the first send and held for the run, so an oversized dataset would end in an
   * OutOfMemoryError while prompts are made, or starve the run of memory.
   */
  private static void checkFitsInHeap(
      Profile profile, int[] inputLengths, int warmups, long maxHeapBytes) {
    Workload w = profile.workload();
    long prefixTokens = (long) w.numPrefixPrompts() * w.prefixPromptLength();
    long tokens = prefixTokens;
    for (int i = 0; i < inputLengths.length; i++) {
      long perEntry = inputLengths[i] + (w.numPrefixPrompts() > 0 ? w.prefixPromptLength() : 0);
      tokens += perEntry * (i < warmups ? 2 : 1);
    }
    long entries = (long) inputLengths.length + warmups + w.numPrefixPrompts();
    long bytes = tokens * HEAP_BYTES_PER_TOKEN + entries * HEAP_BYTES_PER_ENTRY;
    if (bytes > maxHeapBytes / 2) {
      throw new ProfileConfigException(
          "the synthetic prompts would take about "
              + mebibytes(bytes)
              + " MiB ("
              + tokens
              + " tokens in "
              + inputLengths.length
              + " prompts"
              + (w.numPrefixPrompts() > 0
                  ? " and " + w.numPrefixPrompts() + " shared prefixes"
                  : "")
              + (warmups > 0 ? " and " + warmups + " warm-up prompts" : "")
              + "), more than half of the "
              + mebibytes(maxHeapBytes)
              + " MiB the JVM may use: use fewer or shorter prompts, or give the JVM more heap"
              + " (-Xmx)");
    }
  }

  private static long mebibytes(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  private static Dataset fromFile(Profile profile, Tokenizer tokenizer) {
    List<InputRecord> records =
        InputFile.read(profile.workload().inputFile(), profile.workload().inputFilePayload());
    RequestBodies bodies = bodies(profile);
    SplittableRandom random = new SplittableRandom(profile.workload().randomSeed());
    PromptSynthesizer prompts = new PromptSynthesizer(tokenizer, profile.workload().randomSeed());
    Map<Long, String> blocks = new HashMap<>();
    List<DatasetEntry> entries = new ArrayList<>(records.size());
    long[] schedule = profile.workload().inputFilePayload() ? new long[records.size()] : null;
    long firstTimestamp =
        records.get(0).timestampMillis() == null ? 0 : records.get(0).timestampMillis();
    Map<String, List<FileTurn>> sessions = new java.util.LinkedHashMap<>();
    String[] lastPrompt = new String[1];
    for (int i = 0; i < records.size(); i++) {
      InputRecord record = records.get(i);
      if ((record.sessionId() != null) != (records.get(0).sessionId() != null)) {
        throw new ProfileConfigException(
            "inputFile",
            "line "
                + record.lineNumber()
                + ": a file of sessions gives every line a session_id, and a file of prompts none");
      }
      int maxTokens =
          record.outputLength() != null
              ? record.outputLength()
              : profile.workload().outputTokens() == null
                  ? 0
                  : Math.min(
                      Workload.MAX_OUTPUT_TOKENS, profile.workload().outputTokens().sample(random));
      String body;
      int inputTokens;
      if (record.messages() != null) {
        List<Map.Entry<String, String>> conversation =
            record.messages().stream().map(m -> Map.entry(m.role(), m.content())).toList();
        body = bodies.body(conversation, maxTokens, profile.workload().outputTokensDeterministic());
        // genai-perf's input length of a conversation: its contents joined by a space.
        inputTokens =
            tokenizer.count(
                String.join(" ", conversation.stream().map(Map.Entry::getValue).toList()));
      } else {
        String prompt =
            record.text() != null
                ? record.text()
                : tracePrompt(record, prompts, blocks, tokenizer, profile.workload().randomSeed());
        lastPrompt[0] = prompt;
        body = bodies.body(prompt, maxTokens, profile.workload().outputTokensDeterministic());
        inputTokens =
            record.inputLength() != null && record.hashIds().isEmpty()
                ? record.inputLength()
                : tokenizer.count(prompt);
      }
      entries.add(entry(profile, body, inputTokens, maxTokens, lastPrompt[0]));
      if (record.sessionId() != null) {
        List<Map.Entry<String, String>> turn =
            record.messages() != null
                ? record.messages().stream().map(m -> Map.entry(m.role(), m.content())).toList()
                : List.of(Map.entry("user", lastPrompt[0]));
        sessions
            .computeIfAbsent(record.sessionId(), id -> new ArrayList<>())
            .add(new FileTurn(turn, record.delayMillis()));
      }
      lastPrompt[0] = null;
      if (schedule != null) {
        schedule[i] = (record.timestampMillis() - firstTimestamp) * 1_000_000L;
      }
    }
    Dataset dataset = new Dataset(List.copyOf(entries), List.of(), schedule);
    if (!sessions.isEmpty()) {
      if (profile.load().sessions() == null) {
        throw new ProfileConfigException(
            "inputFile",
            "holds chat sessions (session_id): run it with numSessions and sessionConcurrency");
      }
      dataset.fileSessions = List.copyOf(sessions.values());
    }
    return dataset;
  }

  /**
   * A prompt of the record's length. With {@code hash_ids}, block {@code k} of the prompt is the
   * text of id {@code hash_ids[k]}, the same wherever that id appears, so the trace's shared
   * prefixes are shared here too; the last block is cut to the length left.
   */
  private static String tracePrompt(
      InputRecord record,
      PromptSynthesizer prompts,
      Map<Long, String> blocks,
      Tokenizer tokenizer,
      long seed) {
    int length = record.inputLength();
    if (record.hashIds().isEmpty()) {
      return prompts.next(length);
    }
    int needed = (length + TRACE_BLOCK_TOKENS - 1) / TRACE_BLOCK_TOKENS;
    if (record.hashIds().size() < needed) {
      throw new ProfileConfigException(
          "inputFile",
          "line "
              + record.lineNumber()
              + ": "
              + length
              + " input tokens need "
              + needed
              + " hash_ids of "
              + TRACE_BLOCK_TOKENS
              + " tokens, got "
              + record.hashIds().size());
    }
    StringBuilder prompt = new StringBuilder(length * 6);
    for (int k = 0; k < needed; k++) {
      long id = record.hashIds().get(k);
      int blockLength = Math.min(TRACE_BLOCK_TOKENS, length - k * TRACE_BLOCK_TOKENS);
      if (blockLength == TRACE_BLOCK_TOKENS) {
        prompt.append(
            blocks.computeIfAbsent(
                id,
                h ->
                    new PromptSynthesizer(tokenizer, seed ^ (h * 0x9E3779B97F4A7C15L))
                        .next(TRACE_BLOCK_TOKENS)));
      } else {
        prompt.append(
            new PromptSynthesizer(tokenizer, seed ^ (id * 0x9E3779B97F4A7C15L)).next(blockLength));
      }
    }
    return prompt.toString();
  }

  static RequestBodies bodies(Profile profile) {
    return new RequestBodies(
        profile.endpoint().type(),
        profile.endpoint().model(),
        profile.endpoint().streaming(),
        profile.endpoint().extraInputs());
  }

  private static DatasetEntry entry(Profile profile, String body, int inputTokens, int maxTokens) {
    return entry(profile, body, inputTokens, maxTokens, null);
  }

  private static DatasetEntry entry(
      Profile profile, String body, int inputTokens, int maxTokens, String prompt) {
    int hint = maxTokens > 0 ? maxTokens : extraMaxTokens(profile);
    return new DatasetEntry(
        body, Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)), inputTokens, hint, prompt);
  }

  private static int extraMaxTokens(Profile profile) {
    Object value = profile.endpoint().extraInputs().get("max_tokens");
    return value instanceof Number n ? (int) Math.min(1 << 20, Math.max(0, n.longValue())) : 0;
  }

  /** The entry for the {@code n}th request of the run. */
  DatasetEntry entry(long n) {
    return entries.get((int) (n % entries.size()));
  }

  /**
   * The entry for send {@code n}: a warm-up send's from the warm-up's own prompts, when it has
   * them.
   */
  DatasetEntry entry(long n, boolean warmup) {
    return warmup && !warmupEntries.isEmpty()
        ? warmupEntries.get((int) (n % warmupEntries.size()))
        : entry(n);
  }

  int size() {
    return entries.size();
  }

  /** When each entry is to be sent, from the start of the run, for a payload file; else null. */
  long[] scheduleNanos() {
    return scheduleNanos;
  }
}
