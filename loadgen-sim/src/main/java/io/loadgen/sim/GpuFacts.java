package io.loadgen.sim;

/**
 * Public facts of the GPUs a model is served on (tensor parallel over {@code count} GPUs).
 *
 * @param name the GPU, for documentation
 * @param count GPUs the model is split over
 * @param memoryBytesEach memory of one GPU
 * @param memoryUtilization the share of memory the engine may use (vLLM's {@code
 *     gpu_memory_utilization}, 0.9 by default)
 * @param bandwidthBytesPerSecondEach memory bandwidth of one GPU, from its datasheet
 * @param denseFlopsEach dense 16-bit tensor FLOP/s of one GPU, from its datasheet
 */
public record GpuFacts(
    String name,
    int count,
    long memoryBytesEach,
    double memoryUtilization,
    double bandwidthBytesPerSecondEach,
    double denseFlopsEach) {

  /**
   * @throws SimConfigException for no GPU or a utilisation outside (0, 1]
   */
  public GpuFacts {
    if (count < 1) {
      throw new SimConfigException("GPU count must be at least 1, got " + count);
    }
    if (!(memoryUtilization > 0 && memoryUtilization <= 1)) {
      throw new SimConfigException(
          "GPU memory utilization must be in (0, 1], got " + memoryUtilization);
    }
  }

  public GpuFacts withCount(int newCount) {
    return new GpuFacts(
        name,
        newCount,
        memoryBytesEach,
        memoryUtilization,
        bandwidthBytesPerSecondEach,
        denseFlopsEach);
  }

  public GpuFacts withMemoryBytesEach(long bytes) {
    return new GpuFacts(
        name, count, bytes, memoryUtilization, bandwidthBytesPerSecondEach, denseFlopsEach);
  }

  public GpuFacts withMemoryUtilization(double utilization) {
    return new GpuFacts(
        name, count, memoryBytesEach, utilization, bandwidthBytesPerSecondEach, denseFlopsEach);
  }
}
