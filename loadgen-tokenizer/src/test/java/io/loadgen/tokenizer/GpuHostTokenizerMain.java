package io.loadgen.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.Platform;
import java.io.InputStream;
import java.util.Map;

/**
 * Run by {@link BundledNativeLibraryTest} in a JVM of its own, where DJL's CUDA probe finds the
 * fake runtime: prints what DJL detects, then loads a tokenizer through loadgen ({@code loadgen})
 * or straight through DJL ({@code djl}) and prints its token count, or the failure and its causes.
 */
public final class GpuHostTokenizerMain {
  private GpuHostTokenizerMain() {}

  public static void main(String[] args) {
    Platform platform = Platform.detectPlatform("tokenizers");
    System.out.println("detected " + platform.getFlavor() + " sm_" + platform.getCudaArch());
    try {
      int count;
      if (args[0].equals("loadgen")) {
        try (Tokenizer tokenizer = Tokenizer.bundled()) {
          count = tokenizer.count("Hello world");
        }
      } else {
        try (InputStream in = Tokenizer.class.getResourceAsStream("gpt2/tokenizer.json");
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of())) {
          count = tokenizer.encode("Hello world", false, false).getIds().length;
        }
      }
      System.out.println("tokens " + count);
    } catch (Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        System.out.println("failed: " + t);
      }
      System.exit(3);
    }
  }
}
