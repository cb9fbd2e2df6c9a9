package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file as one table, as strictly as {@code pandas.read_csv} with its defaults would
 * need it: every row ends in CRLF, no row is blank, and every row has as many fields as the header
 * (RFC 4180 quoting). Written here because no CSV library is on the test class path, and the check
 * is the point, not the parsing.
 */
final class StrictCsv {
  private StrictCsv() {}

  /** The rows of {@code csv}, the header first; fails the test unless it is exactly one table. */
  static List<List<String>> table(String csv) {
    assertTrue(csv.endsWith("\r\n"), "the last row ends in CRLF");
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        assertFalse(row.size() == 1 && row.get(0).isEmpty(), "blank line at row " + rows.size());
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        field.append(c);
      }
    }
    assertFalse(quoted, "an unclosed quote");
    assertFalse(rows.isEmpty(), "no header");
    int width = rows.get(0).size();
    for (int r = 1; r < rows.size(); r++) {
      assertEquals(width, rows.get(r).size(), "fields in row " + r + ": " + rows.get(r));
    }
    return rows;
  }
}
