package io.loadgen.sim;

import java.util.List;
import java.util.Optional;

/**
 * A named engine: the model it pretends to serve and the numbers of its engine. Presets of real
 * models derive their engine from public {@link ModelFacts} and {@link GpuFacts} by {@link
 * #derive}; the {@code default} preset is small and fast, for first runs and tests.
 *
 * @param name what {@code --preset} calls it
 * @param servedModel the model name {@code /v1/models} lists
 * @param model the model's facts, or null for a preset given by its engine numbers alone
 * @param gpus the GPUs' facts, or null likewise
 * @param engine the engine numbers
 */
public record SimPreset(
    String name, String servedModel, ModelFacts model, GpuFacts gpus, EngineSpec engine) {

  /** Tokens per KV block, as vLLM's default {@code block_size}. */
  public static final int DEFAULT_BLOCK_SIZE = 16;

  /**
   * Share of datasheet memory bandwidth a decode step achieves. Decode reads every weight and the
   * batch's KV cache once per step; well-tuned kernels reach 60-80% of peak bandwidth.
   */
  public static final double BANDWIDTH_EFFICIENCY = 0.7;

  /** Share of datasheet FLOP/s that prefill achieves (model FLOPs utilisation). */
  public static final double PREFILL_FLOPS_UTILIZATION = 0.5;

  /** Per-step cost outside the GPU kernels: scheduling, sampling set-up, kernel launches. */
  public static final long STEP_OVERHEAD_NANOS = 1_000_000;

  /** Per-sequence cost of a step: sampling, detokenising and streaming one token. */
  public static final long SEQUENCE_OVERHEAD_NANOS = 20_000;

  /**
   * Runs at most this many requests at once: vLLM's {@code max_num_seqs}, which recent versions set
   * to 1,024 for the OpenAI server on GPUs with large memory, and 256 on smaller ones (and
   * everywhere in older versions).
   */
  public static final int MAX_RUNNING_SEQUENCES_LARGE_GPU = 1024;

  /** See {@link #MAX_RUNNING_SEQUENCES_LARGE_GPU}. */
  public static final int MAX_RUNNING_SEQUENCES = 256;

  /** Prefill plus decode tokens one step may process, as vLLM's chunked-prefill budget. */
  public static final int MAX_BATCHED_TOKENS = 8192;

  private static final long GIB = 1L << 30;

  // Model facts from each model's config.json on Hugging Face: head_dim = hidden_size /
  // num_attention_heads (4096 / 32 and 8192 / 64 are both 128).
  static final ModelFacts LLAMA3_8B =
      new ModelFacts("meta-llama/Meta-Llama-3-8B-Instruct", 8_030_261_248L, 32, 8, 128, 2);
  static final ModelFacts LLAMA3_70B =
      new ModelFacts("meta-llama/Meta-Llama-3-70B-Instruct", 70_553_706_496L, 80, 8, 128, 2);
  static final ModelFacts MISTRAL_7B =
      new ModelFacts("mistralai/Mistral-7B-Instruct-v0.3", 7_248_023_552L, 32, 8, 128, 2);

  // GPU facts from NVIDIA's datasheets: H100 SXM 80 GB HBM3 at 3.35 TB/s and 989 dense BF16
  // TFLOP/s; A10G 24 GB GDDR6 at 600 GB/s and 70 dense BF16 TFLOP/s (AWS's figure for g5).
  // Memory is the capacity the CUDA runtime reports, which vLLM's utilisation applies to: 79.2 GiB
  // of an H100 80 GB, 22.2 GiB of an A10G.
  static final GpuFacts H100 =
      new GpuFacts("NVIDIA H100 SXM 80GB", 1, (long) (79.2 * GIB), 0.9, 3.35e12, 989e12);
  static final GpuFacts A10G =
      new GpuFacts("NVIDIA A10G 24GB", 1, (long) (22.2 * GIB), 0.9, 600e9, 70e12);

  /**
   * The presets. With {@link #derive}'s arithmetic (KV bytes per token = 2 x layers x KV heads x
   * head dim x 2 bytes):
   *
   * <ul>
   *   <li>{@code llama3-8b-h100}: KV 2 x 32 x 8 x 128 x 2 = 131,072 B/token; cache 0.9 x 79.2 GiB -
   *       16.06 GB weights = 60.48 GB = 461,393 tokens = 28,837 blocks of 16; decode step 6.85 ms +
   *       1 ms + 0.056 us per cached token; prefill 32.5 us per prompt token.
   *   <li>{@code llama3-70b-h100x4}: KV 2 x 80 x 8 x 128 x 2 = 327,680 B/token; cache 4 x 0.9 x
   *       79.2 GiB - 141.1 GB weights = 165.0 GB = 503,655 tokens = 31,478 blocks; decode step
   *       15.04 ms + 1 ms + 0.035 us per cached token; prefill 71.3 us per prompt token.
   *   <li>{@code mistral-7b-a10g}: KV 131,072 B/token; cache 0.9 x 22.2 GiB - 14.50 GB weights =
   *       6.96 GB = 53,080 tokens = 3,317 blocks; decode step 34.5 ms + 1 ms + 0.31 us per cached
   *       token; prefill 414 us per prompt token: a small card whose cache fills at a few hundred
   *       requests.
   *   <li>{@code default}: no hardware; 8,192 blocks of 16, a 10 ms decode step whatever the batch,
   *       10 us per prompt token, 1,024 running requests: fast and predictable, for tests.
   * </ul>
   */
  public static final List<SimPreset> ALL =
      List.of(
          new SimPreset(
              "default",
              "loadgen-sim",
              null,
              null,
              new EngineSpec(
                  DEFAULT_BLOCK_SIZE, 8192, 1024, MAX_BATCHED_TOKENS, 10_000, 10_000_000, 0, 0)),
          derive("llama3-8b-h100", "meta/llama3-8b-instruct", LLAMA3_8B, H100, DEFAULT_BLOCK_SIZE),
          derive(
              "llama3-70b-h100x4",
              "meta/llama3-70b-instruct",
              LLAMA3_70B,
              H100.withCount(4),
              DEFAULT_BLOCK_SIZE),
          derive(
              "mistral-7b-a10g",
              "mistralai/mistral-7b-instruct-v0.3",
              MISTRAL_7B,
              A10G,
              DEFAULT_BLOCK_SIZE));

  private static int maxRunningFor(GpuFacts gpus) {
    return gpus.memoryBytesEach() >= 70L * GIB
        ? MAX_RUNNING_SEQUENCES_LARGE_GPU
        : MAX_RUNNING_SEQUENCES;
  }

  /** The names of {@link #ALL}. */
  public static List<String> names() {
    return ALL.stream().map(SimPreset::name).toList();
  }

  /** The preset of that name. */
  public static Optional<SimPreset> named(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * An engine from facts:
   *
   * <ul>
   *   <li>KV cache bytes = GPUs x memory x utilisation - weight bytes; blocks = that / (KV bytes
   *       per token x block size), rounded down;
   *   <li>decode step = weight bytes / (GPUs x bandwidth x {@value #BANDWIDTH_EFFICIENCY}) + step
   *       overhead, since every step reads every weight; per cached token, KV bytes per token over
   *       the same bandwidth; per sequence, {@link #SEQUENCE_OVERHEAD_NANOS};
   *   <li>prefill per token = 2 x parameters FLOPs / (GPUs x FLOP/s x {@value
   *       #PREFILL_FLOPS_UTILIZATION}).
   * </ul>
   *
   * @throws SimConfigException when the weights leave no memory for the cache
   */
  public static SimPreset derive(
      String name, String servedModel, ModelFacts model, GpuFacts gpus, int blockSize) {
    double cacheBytes =
        gpus.count() * (double) gpus.memoryBytesEach() * gpus.memoryUtilization()
            - model.weightBytes();
    long blocks = (long) Math.floor(cacheBytes / ((double) model.kvBytesPerToken() * blockSize));
    if (blocks < 1) {
      throw new SimConfigException(
          String.format(
              java.util.Locale.ROOT,
              "%s does not fit: %.1f GB of weights in %.1f GB usable on %d x %s, which leaves no KV cache; "
                  + "give more GPUs, more memory per GPU or a higher memory utilization",
              model.name(),
              model.weightBytes() / 1e9,
              gpus.count() * gpus.memoryBytesEach() * gpus.memoryUtilization() / 1e9,
              gpus.count(),
              gpus.name()));
    }
    double bandwidth = gpus.count() * gpus.bandwidthBytesPerSecondEach() * BANDWIDTH_EFFICIENCY;
    long decodeFixed = Math.round(model.weightBytes() / bandwidth * 1e9) + STEP_OVERHEAD_NANOS;
    double perCachedToken = model.kvBytesPerToken() / bandwidth * 1e9;
    long prefillPerToken =
        Math.round(
            2.0
                * model.parameters()
                / (gpus.count() * gpus.denseFlopsEach() * PREFILL_FLOPS_UTILIZATION)
                * 1e9);
    EngineSpec engine =
        new EngineSpec(
            blockSize,
            blocks,
            maxRunningFor(gpus),
            MAX_BATCHED_TOKENS,
            prefillPerToken,
            decodeFixed,
            SEQUENCE_OVERHEAD_NANOS,
            perCachedToken);
    return new SimPreset(name, servedModel, model, gpus, engine);
  }

  /** This preset with other engine numbers. */
  public SimPreset withEngine(EngineSpec newEngine) {
    return new SimPreset(name, servedModel, model, gpus, newEngine);
  }
}
