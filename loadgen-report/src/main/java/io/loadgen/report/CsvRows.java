package io.loadgen.report;

import java.util.List;

/**
 * Rows of comma-separated values, written as Python's {@code csv} module writes them with its
 * defaults, as genai-perf's exports are: each row ends in CRLF; a field is quoted only when it
 * holds a comma, a double quote, a CR or an LF ({@code csv.QUOTE_MINIMAL}), and a double quote
 * inside a quoted field is doubled. A row of one empty field is written {@code ""}, as Python does,
 * so that it does not read back as a blank line; a blank line (no fields) separates sections. Every
 * CSV file loadgen writes is made here.
 */
final class CsvRows {
  private final StringBuilder out = new StringBuilder();

  /** Appends a row of these fields, quoting each that needs it. */
  CsvRows row(String... fields) {
    return row(List.of(fields));
  }

  /** Appends a row of these fields, quoting each that needs it. */
  CsvRows row(List<String> fields) {
    if (fields.size() == 1 && fields.get(0).isEmpty()) {
      out.append("\"\"");
    }
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(field(fields.get(i)));
    }
    out.append("\r\n");
    return this;
  }

  /** Appends an empty line: genai-perf's separator between a file's sections. */
  CsvRows blankLine() {
    out.append("\r\n");
    return this;
  }

  /** One field as it is written: quoted, its quotes doubled, only when it holds , " CR or LF. */
  static String field(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return '"' + value.replace("\"", "\"\"") + '"';
      }
    }
    return value;
  }

  /** The rows so far, each ending in CRLF. */
  @Override
  public String toString() {
    return out.toString();
  }
}
