package io.loadgen.tokenizer;

/**
 * Makes DJL load the CPU build of the Rust tokenizers library that ships inside loadgen's jar, on
 * every host, and never fetch another.
 *
 * <p>Left to itself, DJL picks a build by probing the host: where a CUDA runtime reports a GPU of a
 * recent architecture, it asks for a CUDA build, which the jar does not hold, and downloads one
 * from publish.djl.ai. In a pod on a GPU node with no internet, that fails ("Cannot download jni
 * files") and no tokenizer loads. Tokenizing is CPU work and the CPU build does it as well, so
 * loadgen pins it: {@code RUST_FLAVOR=cpu} selects the bundled file, and {@code
 * ai.djl.offline=true} forbids DJL any download. Both are DJL's own settings, read from the
 * environment first and then from system properties, so a user who sets either keeps their choice.
 * They are process-wide because DJL reads them only there.
 */
final class BundledNativeLibrary {
  static final String FLAVOR = "RUST_FLAVOR";
  static final String OFFLINE = "ai.djl.offline";

  private BundledNativeLibrary() {}

  /** Pins the bundled CPU library, unless the user chose otherwise; before DJL first loads it. */
  static void pin() {
    if (System.getenv(FLAVOR) == null && System.getProperty(FLAVOR) == null) {
      System.setProperty(FLAVOR, "cpu");
    }
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty(OFFLINE) == null) {
      System.setProperty(OFFLINE, "true");
    }
  }
}
