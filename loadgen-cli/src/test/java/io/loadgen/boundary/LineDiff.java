package io.loadgen.boundary;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff for test failures, in unified diff's notation ({@code -} a line only in the expected
 * text, {@code +} only in the actual one, two unchanged lines of context around each change, {@code
 * ...} for what is left out). From the longest common subsequence of the two texts' lines, which is
 * exact and quick enough for files of a few thousand lines.
 */
final class LineDiff {
  private static final int CONTEXT = 2;

  private LineDiff() {}

  static String of(String expected, String actual) {
    String[] a = expected.split("\n", -1);
    String[] b = actual.split("\n", -1);
    int[][] common = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        common[i][j] =
            a[i].equals(b[j])
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<String> lines = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        lines.add("  " + a[i]);
        i++;
        j++;
      } else if (i < a.length && (j == b.length || common[i + 1][j] >= common[i][j + 1])) {
        lines.add("- " + a[i++]);
      } else {
        lines.add("+ " + b[j++]);
      }
    }
    StringBuilder out = new StringBuilder();
    int lastWritten = -1;
    for (int k = 0; k < lines.size(); k++) {
      if (lines.get(k).startsWith("  ")) {
        continue;
      }
      int from = Math.max(lastWritten + 1, k - CONTEXT);
      if (from > lastWritten + 1) {
        out.append("...\n");
      }
      int to = k;
      while (to + 1 < lines.size()
          && (!lines.get(to + 1).startsWith("  ") || nearChange(lines, to + 1))) {
        to++;
      }
      to = Math.min(lines.size() - 1, to + CONTEXT);
      for (int n = from; n <= to; n++) {
        out.append(lines.get(n)).append('\n');
      }
      lastWritten = to;
      k = to;
    }
    if (lastWritten < lines.size() - 1 && lastWritten >= 0) {
      out.append("...\n");
    }
    return out.toString();
  }

  /** An unchanged line with a change within the context distance after it. */
  private static boolean nearChange(List<String> lines, int k) {
    for (int n = k + 1; n <= Math.min(lines.size() - 1, k + CONTEXT); n++) {
      if (!lines.get(n).startsWith("  ")) {
        return true;
      }
    }
    return false;
  }
}
