package io.loadgen.core.internal.sse;

import java.util.regex.Pattern;

/**
 * Turns text a server sent into one short line for a failure message: every run of white space and
 * control characters becomes one space, the ends are trimmed, and the result is cut to at most
 * {@value #LIMIT_CHARS} characters (plus "...") without splitting a surrogate pair.
 */
final class OneLine {
  /** Long enough for any real error message, short enough for a table cell or a log line. */
  static final int LIMIT_CHARS = 200;

  private static final Pattern BLANKS = Pattern.compile("(?U)[\\s\\p{Cntrl}]+");

  private OneLine() {}

  static String of(String text) {
    String line = BLANKS.matcher(text).replaceAll(" ").trim();
    if (line.length() <= LIMIT_CHARS) {
      return line;
    }
    int end = LIMIT_CHARS;
    if (Character.isHighSurrogate(line.charAt(end - 1))) {
      end--;
    }
    return line.substring(0, end).trim() + "...";
  }
}
