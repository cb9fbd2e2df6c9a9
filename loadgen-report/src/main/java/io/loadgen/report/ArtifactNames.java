package io.loadgen.report;

import io.loadgen.core.Profile;

/**
 * genai-perf's name for a run's artifacts folder: the model (with {@code /} as {@code _}), the
 * service kind and endpoint type, then the load: {@code
 * meta_llama-3.1-8b-instruct-openai-chat-concurrency10} or {@code ...-request_rate5.0}, or {@code
 * ...-fixed_schedule} for a replayed trace.
 */
public final class ArtifactNames {
  private ArtifactNames() {}

  public static String directoryName(Profile profile) {
    String model = profile.endpoint().model().replace('/', '_');
    String load;
    if (profile.workload().inputFilePayload()) {
      load = "fixed_schedule";
    } else {
      // As genai-perf names them: concurrency10, request_rate2.5 (Python's str of a float).
      Number level = profile.load().mode().level();
      load =
          profile.load().mode().key()
              + (level instanceof Integer ? level.toString() : pythonFloat(level.doubleValue()));
    }
    return model + "-openai-" + profile.endpoint().type().cliName() + "-" + load;
  }

  /** A double as Python's {@code str(float)} writes it for ordinary values: 5.0, 2.5, 0.25. */
  static String pythonFloat(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e16) {
      return (long) value + ".0";
    }
    return Double.toString(value);
  }
}
