package io.loadgen.tokenizer;

import java.util.random.RandomGenerator;

/**
 * A length in tokens drawn from a Normal distribution, as genai-perf draws prompt and output
 * lengths: rounded to the nearest whole token and never below one.
 *
 * @param mean the mean length in tokens, at least 1
 * @param stddev the standard deviation in tokens, 0 for every draw to be {@code round(mean)}
 */
public record TokenLengthDistribution(double mean, double stddev) {
  /**
   * @throws TokenLengthException for a mean below 1 or a negative deviation (or either not finite)
   */
  public TokenLengthDistribution {
    if (!(mean >= 1) || Double.isInfinite(mean)) {
      throw new TokenLengthException("the mean must be at least 1 token, got " + mean);
    }
    if (!(stddev >= 0) || Double.isInfinite(stddev)) {
      throw new TokenLengthException(
          "the standard deviation must be 0 or more tokens, got " + stddev);
    }
  }

  /**
   * {@code count} lengths by stratified sampling, in a seeded random order: the distribution's
   * quantiles at (k + 0.5) / count for k = 0 .. count - 1. Their mean is the distribution's (up to
   * rounding) and their deviation close to it, whatever the count, where {@code count} independent
   * draws would be off by about stddev / sqrt(count): 2 tokens for 20 prompts of 200 +- 10, which
   * would misreport the load asked for. Each length is rounded and at least 1.
   */
  public int[] stratifiedLengths(int count, long seed) {
    int[] lengths = new int[count];
    org.apache.commons.statistics.distribution.NormalDistribution normal =
        stddev == 0
            ? null
            : org.apache.commons.statistics.distribution.NormalDistribution.of(mean, stddev);
    for (int k = 0; k < count; k++) {
      lengths[k] =
          clamp(normal == null ? mean : normal.inverseCumulativeProbability((k + 0.5) / count));
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int k = count - 1; k > 0; k--) {
      int j = random.nextInt(k + 1);
      int swap = lengths[k];
      lengths[k] = lengths[j];
      lengths[j] = swap;
    }
    return lengths;
  }

  private static int clamp(double value) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(value)));
  }

  /** One length, at least 1. */
  public int sample(RandomGenerator random) {
    double value = stddev == 0 ? mean : mean + stddev * random.nextGaussian();
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(value)));
  }
}
