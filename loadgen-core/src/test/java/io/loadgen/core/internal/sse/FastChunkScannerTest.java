package io.loadgen.core.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast path must give Jackson's result for every chunk: thousands of generated chunks (every
 * field the decoder reads, in any order, among fields it skips, with any white space, escapes,
 * characters outside ASCII, errors and odd numbers), then each corrupted by a random edit, are
 * decoded both ways and compared field by field.
 */
class FastChunkScannerTest {
  private static final String[] STRINGS = {
    "",
    " the",
    "x",
    "}]{[",
    "a b c",
    "finish",
    "stop",
    "length",
    "error",
    "content",
    "\\n",
    "tab\\there",
    "quote\\\"",
    "\\u00e9t\\u00e9",
    "é",
    "日本",
    "😀",
    "\\ud83d\\ude00",
    "\\ud83d",
    "back\\\\slash",
    "ctrl\u0001"
  };
  private static final int PLAIN_STRINGS = 10;
  private static final String[] NUMBERS = {
    "0",
    "-0",
    "7",
    "42",
    "-3",
    "1.5",
    "1e5",
    "2E-3",
    "-0.0",
    "123456789012345678",
    "1234567890123456789",
    "12345678901234567890123",
    "1.0",
    "100"
  };

  private final ChunkDecoder fastThenJackson = new ChunkDecoder();
  private final ChunkDecoder jackson = new ChunkDecoder();

  @Test
  void givesJacksonsResultForGeneratedAndCorruptedChunks() {
    SplittableRandom random = new SplittableRandom(11);
    int fastPaths = 0;
    int cases = 0;
    for (int i = 0; i < 6000; i++) {
      String chunk = chunk(random);
      List<String> variants = new ArrayList<>();
      variants.add(chunk);
      for (int k = 0; k < 3; k++) {
        variants.add(corrupt(chunk, random));
      }
      for (String variant : variants) {
        byte[] bytes = variant.getBytes(StandardCharsets.UTF_8);
        DecodeResult expected = DecodeResult.of(jackson.decodeWithJackson(bytes, bytes.length));
        DecodeResult actual = DecodeResult.of(fastThenJackson.decode(bytes, bytes.length));
        assertEquals(expected, actual, variant);
        ChunkDecoder.Chunk scratch = new ChunkDecoder().decodeWithJackson(new byte[0], 0);
        if (new FastChunkScanner().scan(bytes, bytes.length, scratch)) {
          fastPaths++;
        }
        cases++;
      }
    }
    // The comparison means something only if the fast path answered for a good share of them.
    assertTrue(fastPaths > cases / 5, fastPaths + " of " + cases);
  }

  @Test
  void readsATypicalVllmChunkOnTheFastPath() {
    String vllm =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1733000000,"
            + "\"model\":\"meta/llama3-8b-instruct\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" the\"},"
            + "\"logprobs\":null,\"finish_reason\":null}]}";
    byte[] bytes = vllm.getBytes(StandardCharsets.US_ASCII);
    ChunkDecoder.Chunk chunk = new ChunkDecoder().decodeWithJackson(new byte[0], 0);
    assertTrue(new FastChunkScanner().scan(bytes, bytes.length, chunk));
    assertEquals(" the", chunk.content());
  }

  @Test
  void leavesEscapesNonAsciiAndErrorsToJackson() {
    for (String chunk :
        new String[] {
          "{\"choices\":[{\"delta\":{\"content\":\"caf\\u00e9\"}}]}",
          "{\"choices\":[{\"delta\":{\"content\":\"café\"}}]}",
          "{\"error\":{\"message\":\"boom\"}}",
          "{\"object\":\"error\",\"message\":\"boom\"}",
          "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]} trailing"
        }) {
      byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
      ChunkDecoder.Chunk scratch = new ChunkDecoder().decodeWithJackson(new byte[0], 0);
      assertFalse(new FastChunkScanner().scan(bytes, bytes.length, scratch), chunk);
    }
  }

  private static String chunk(SplittableRandom random) {
    List<String> members = new ArrayList<>();
    if (random.nextInt(4) > 0) {
      members.add(member("id", string(random), random));
    }
    if (random.nextInt(3) > 0) {
      String object =
          random.nextInt(20) == 0
              ? "\"error\""
              : random.nextBoolean() ? "\"chat.completion.chunk\"" : "\"text_completion\"";
      members.add(member("object", random.nextInt(10) == 0 ? anyValue(random, 0) : object, random));
    }
    if (random.nextBoolean()) {
      members.add(member("created", number(random), random));
    }
    if (random.nextInt(5) > 0) {
      members.add(
          member(
              "choices", random.nextInt(10) == 0 ? anyValue(random, 0) : choices(random), random));
    }
    if (random.nextInt(3) == 0) {
      members.add(member("usage", random.nextInt(3) == 0 ? "null" : usage(random), random));
    }
    if (random.nextInt(4) == 0) {
      members.add(member("system_fingerprint", anyValue(random, 0), random));
    }
    if (random.nextInt(15) == 0) {
      members.add(
          member(
              "error",
              random.nextBoolean() ? "{\"message\":" + string(random) + "}" : "null",
              random));
    }
    if (random.nextInt(15) == 0) {
      members.add(member("message", string(random), random));
    }
    if (random.nextInt(8) == 0 && !members.isEmpty()) {
      members.add(
          members.get(random.nextInt(members.size()))); // a duplicate name: the later one wins
    }
    java.util.Collections.shuffle(members, new java.util.Random(random.nextLong()));
    return space(random) + object(members, random) + space(random);
  }

  private static String choices(SplittableRandom random) {
    List<String> elements = new ArrayList<>();
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      elements.add(i == 0 && random.nextInt(6) == 0 ? anyValue(random, 1) : choice(random));
    }
    return "[" + space(random) + String.join("," + space(random), elements) + space(random) + "]";
  }

  private static String choice(SplittableRandom random) {
    List<String> members = new ArrayList<>();
    members.add(member("index", number(random), random));
    int kind = random.nextInt(4);
    if (kind == 0 || kind == 3) {
      members.add(member("delta", message(random), random));
    }
    if (kind == 1) {
      members.add(
          member("text", random.nextInt(8) == 0 ? anyValue(random, 2) : string(random), random));
    }
    if (kind == 2) {
      members.add(member("message", message(random), random));
    }
    if (random.nextBoolean()) {
      members.add(member("finish_reason", random.nextBoolean() ? "null" : string(random), random));
    }
    if (random.nextInt(3) == 0) {
      members.add(member("logprobs", anyValue(random, 2), random));
    }
    java.util.Collections.shuffle(members, new java.util.Random(random.nextLong()));
    return object(members, random);
  }

  private static String message(SplittableRandom random) {
    if (random.nextInt(10) == 0) {
      return anyValue(random, 3);
    }
    List<String> members = new ArrayList<>();
    if (random.nextBoolean()) {
      members.add(member("role", "\"assistant\"", random));
    }
    if (random.nextInt(4) > 0) {
      members.add(
          member("content", random.nextInt(8) == 0 ? anyValue(random, 3) : string(random), random));
    }
    if (random.nextInt(4) == 0) {
      members.add(member("reasoning_content", string(random), random));
    }
    if (random.nextInt(10) == 0) {
      members.add(member("content", string(random), random));
    }
    return object(members, random);
  }

  private static String usage(SplittableRandom random) {
    List<String> members = new ArrayList<>();
    if (random.nextInt(4) > 0) {
      members.add(
          member(
              "prompt_tokens",
              random.nextInt(6) == 0 ? anyValue(random, 2) : number(random),
              random));
    }
    if (random.nextInt(4) > 0) {
      members.add(member("completion_tokens", number(random), random));
    }
    if (random.nextBoolean()) {
      members.add(member("total_tokens", number(random), random));
    }
    return object(members, random);
  }

  private static String anyValue(SplittableRandom random, int depth) {
    int kind = random.nextInt(depth > 4 ? 5 : 7);
    return switch (kind) {
      case 0 -> string(random);
      case 1 -> number(random);
      case 2 -> "true";
      case 3 -> "false";
      case 4 -> "null";
      case 5 -> {
        List<String> elements = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          elements.add(anyValue(random, depth + 1));
        }
        yield "[" + String.join("," + space(random), elements) + "]";
      }
      default -> {
        List<String> members = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          members.add(
              member(
                  random.nextBoolean() ? "content" : "k" + i, anyValue(random, depth + 1), random));
        }
        yield object(members, random);
      }
    };
  }

  private static String object(List<String> members, SplittableRandom random) {
    return "{"
        + space(random)
        + String.join(space(random) + "," + space(random), members)
        + space(random)
        + "}";
  }

  private static String member(String name, String value, SplittableRandom random) {
    return "\"" + name + "\"" + space(random) + ":" + space(random) + value;
  }

  /** Mostly plain ASCII, as streams are; a quarter of them escaped, outside ASCII or unusual. */
  private static String string(SplittableRandom random) {
    int pick =
        random.nextInt(4) > 0 ? random.nextInt(PLAIN_STRINGS) : random.nextInt(STRINGS.length);
    return "\"" + STRINGS[pick] + "\"";
  }

  private static String number(SplittableRandom random) {
    return NUMBERS[random.nextInt(NUMBERS.length)];
  }

  private static String space(SplittableRandom random) {
    int kind = random.nextInt(12);
    return kind < 8 ? "" : kind == 8 ? " " : kind == 9 ? "\n" : kind == 10 ? "\t" : "\r\n ";
  }

  private static final String EDIT_BYTES = "{}[],:\"\\ -.0123456789aeflnrstuEx\u0000\u0080é";

  private static String corrupt(String chunk, SplittableRandom random) {
    if (chunk.isEmpty()) {
      return "x";
    }
    int at = random.nextInt(chunk.length());
    char c = EDIT_BYTES.charAt(random.nextInt(EDIT_BYTES.length()));
    return switch (random.nextInt(5)) {
      case 4 -> chunk + c;
      case 0 -> chunk.substring(0, at) + chunk.substring(at + 1);
      case 1 -> chunk.substring(0, at) + c + chunk.substring(at);
      case 2 -> chunk.substring(0, at) + c + chunk.substring(at + 1);
      default -> chunk.substring(0, at);
    };
  }
}
