package io.loadgen.tokenizer;

import java.util.random.RandomGenerator;

/**
 * A length in tokens drawn from a Normal distribution, as genai-perf draws prompt and output lengths:
 * rounded to the nearest whole token and never below one.
 *
 * @param mean the mean length in tokens, at least 1
 * @param stddev the standard deviation in tokens, 0 for every draw to be {@code round(mean)}
 */
public record TokenLengthDistribution(double mean, double stddev) {
  public TokenLengthDistribution {
    if (!(mean >= 1) || Double.isInfinite(mean)) {
      throw new IllegalArgumentException("the mean must be at least 1 token, got " + mean);
    }
    if (!(stddev >= 0) || Double.isInfinite(stddev)) {
      throw new IllegalArgumentException("the standard deviation must be 0 or more tokens, got " + stddev);
    }
  }

  /** One length, at least 1. */
  public int sample(RandomGenerator random) {
    double value = stddev == 0 ? mean : mean + stddev * random.nextGaussian();
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(value)));
  }
}
