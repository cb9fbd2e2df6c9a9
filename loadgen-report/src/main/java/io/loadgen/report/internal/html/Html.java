package io.loadgen.report.internal.html;

/**
 * Escapes text for HTML element content and double- or single-quoted attribute values.
 *
 * <p>Written by hand because neither commons-text nor Guava is on loadgen-report's classpath, and
 * five characters do not justify a new dependency: with {@code &}, {@code <}, {@code >}, {@code "}
 * and {@code '} replaced, no text can end an element, open a tag or leave an attribute, which is
 * all the report needs (it never puts text into a script, a style or a URL).
 */
public final class Html {
  private Html() {}

  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
