package io.loadgen.core.internal.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a page in the Prometheus text exposition format, version 0.0.4, or in OpenMetrics 1.0 text.
 * It exists because no Java library parses the format: the Prometheus Java client only writes it.
 *
 * <p>What it reads:
 *
 * <ul>
 *   <li>Samples {@code name{label="value",...} value [timestamp]}, names with colons ({@code
 *       vllm:num_requests_running}), blanks around names, {@code =} and commas, an empty label set
 *       {@code {}} and a trailing comma. Label values unescape {@code \\}, {@code \"} and {@code
 *       \n}; any other escape makes the line bad, as it does for Prometheus.
 *   <li>Values as decimal numbers with optional exponent ({@code 1.5e-3}) and {@code NaN}, {@code
 *       Inf}, {@code +Inf}, {@code -Inf} in any case; not hex, and not Java's {@code 1d}.
 *   <li>Timestamps, kept in milliseconds since the epoch: integer milliseconds in 0.0.4; when the
 *       page has a {@code # EOF} line it is OpenMetrics, whose timestamps are seconds (with a
 *       fraction), rounded here to the nearest millisecond.
 *   <li>{@code # HELP} (unescaping {@code \\}, {@code \n} and {@code \"}), {@code # TYPE} (counter,
 *       gauge, histogram, summary, untyped, unknown, info, stateset, gaugehistogram, in any case),
 *       {@code # UNIT} and {@code # EOF}; any other {@code #} line is a comment.
 *   <li>OpenMetrics exemplars ({@code ... # {trace_id="x"} 0.5}) are skipped, on any page.
 *   <li>Lines end in LF or CRLF; blank lines and leading blanks are skipped; a leading byte-order
 *       mark is dropped.
 * </ul>
 *
 * <p>A bad line does not spoil the page: parsing never throws. Each bad line is skipped and noted
 * in {@link Parsed#errors()} as {@code "line N: why"}, so one malformed series (or one exporter's
 * bug) costs that series, not the scrape; a page that is not Prometheus text at all (HTML, JSON,
 * random bytes) gives no samples and its errors. Prometheus itself would reject the whole page; a
 * load generator would rather keep what it can read and say what it could not. At most {@value
 * #MAX_ERRORS} errors are kept, then one line counting the rest.
 *
 * <p>Samples are grouped into {@link Family families} by their metadata: a sample belongs to the
 * family of its own name or, failing that, of its name without a suffix ({@code _bucket}, {@code
 * _count}, {@code _sum}, {@code _total}, {@code _created}, {@code _gcount}, {@code _gsum}, {@code
 * _info}); {@code x_created} also joins the counter {@code x_total}, which is how the Python client
 * writes 0.0.4. A sample with no such family gets one of its own, typed {@code untyped} (0.0.4) or
 * {@code unknown} (OpenMetrics). Nothing checks that a family's samples fit its type.
 */
public final class PrometheusText {
  static final int MAX_ERRORS = 20;

  private static final Set<String> TYPES =
      Set.of(
          "counter",
          "gauge",
          "histogram",
          "summary",
          "untyped",
          "unknown",
          "info",
          "stateset",
          "gaugehistogram");
  private static final List<String> SUFFIXES =
      List.of("_bucket", "_count", "_sum", "_total", "_created", "_gcount", "_gsum", "_info");

  private PrometheusText() {}

  /**
   * One sample line.
   *
   * @param name the metric name as written, suffix included ({@code
   *     vllm:e2e_request_latency_seconds_bucket})
   * @param labels the labels in page order, values unescaped; unmodifiable, empty when none
   * @param value the value; NaN and infinities as written
   * @param timestampMillis the sample's timestamp in milliseconds since the epoch, or null when the
   *     line has none (the usual case: the scraper's clock is the time)
   */
  public record Sample(
      String name, Map<String, String> labels, double value, Long timestampMillis) {
    public Sample {
      labels =
          labels.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
  }

  /**
   * A metric family: its metadata and its samples in page order.
   *
   * @param name the name on its {@code # TYPE}/{@code # HELP} lines, or the sample name when it had
   *     none
   * @param type lower case: {@code counter}, {@code gauge}, {@code histogram}, {@code summary},
   *     {@code info}, {@code stateset}, {@code gaugehistogram}, or {@code untyped}/{@code unknown}
   * @param help the unescaped {@code # HELP} text, or null
   * @param unit the OpenMetrics {@code # UNIT}, or null
   */
  public record Family(String name, String type, String help, String unit, List<Sample> samples) {
    public Family {
      samples = List.copyOf(samples);
    }
  }

  /**
   * What a page held.
   *
   * @param samples every sample read, in page order
   * @param families the families in order of first appearance
   * @param errors one {@code "line N: why"} per skipped line, at most {@value #MAX_ERRORS} and a
   *     count
   */
  public record Parsed(List<Sample> samples, List<Family> families, List<String> errors) {
    public Parsed {
      samples = List.copyOf(samples);
      families = List.copyOf(families);
      errors = List.copyOf(errors);
    }
  }

  /** Parses UTF-8 bytes; malformed sequences become U+FFFD and so, at worst, bad lines. */
  public static Parsed parse(byte[] utf8) {
    return parse(new String(utf8, StandardCharsets.UTF_8));
  }

  /** Parses a page; never throws. */
  public static Parsed parse(CharSequence page) {
    String text = page.toString();
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return new Reader(text, hasEofLine(text)).read();
  }

  private static boolean hasEofLine(String text) {
    for (int start = 0; start < text.length(); ) {
      int end = lineEnd(text, start);
      int length = end > start && text.charAt(end - 1) == '\r' ? end - 1 - start : end - start;
      if (length == 5 && text.startsWith("# EOF", start)) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  private static int lineEnd(String text, int start) {
    int end = text.indexOf('\n', start);
    return end < 0 ? text.length() : end;
  }

  private static String stripCr(String text, int start, int end) {
    return text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
  }

  /** A line that cannot be read, and why; cheap because it carries no stack trace. */
  private static final class BadLine extends Exception {
    BadLine(String why) {
      super(why, null, false, false);
    }
  }

  private static final class FamilyBuilder {
    final String name;
    String type;
    String help;
    String unit;
    final List<Sample> samples = new ArrayList<>();

    FamilyBuilder(String name) {
      this.name = name;
    }
  }

  private static final class Reader {
    private final String text;
    private final boolean openMetrics;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, FamilyBuilder> families = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private int badLines;
    private String line;
    private int pos;

    Reader(String text, boolean openMetrics) {
      this.text = text;
      this.openMetrics = openMetrics;
    }

    Parsed read() {
      int number = 0;
      for (int start = 0; start < text.length(); ) {
        int end = lineEnd(text, start);
        number++;
        line = stripCr(text, start, end);
        start = end + 1;
        pos = 0;
        skipBlanks();
        if (pos == line.length()) {
          continue;
        }
        if (openMetrics && line.length() - pos == 5 && line.startsWith("# EOF", pos)) {
          afterEof(start, number);
          break;
        }
        try {
          if (line.charAt(pos) == '#') {
            comment();
          } else {
            sample();
          }
        } catch (BadLine bad) {
          error(number, bad.getMessage());
        } catch (RuntimeException unexpected) {
          error(number, "unreadable (" + unexpected + ")");
        }
      }
      if (badLines > MAX_ERRORS) {
        errors.add((badLines - MAX_ERRORS) + " more bad lines");
      }
      List<Family> built = new ArrayList<>(families.size());
      for (FamilyBuilder f : families.values()) {
        built.add(
            new Family(f.name, f.type != null ? f.type : untyped(), f.help, f.unit, f.samples));
      }
      return new Parsed(samples, built, errors);
    }

    /** OpenMetrics ends at {@code # EOF}; anything after it is noted once and not read. */
    private void afterEof(int start, int number) {
      while (start < text.length()) {
        int end = lineEnd(text, start);
        number++;
        if (!stripCr(text, start, end).isBlank()) {
          error(number, "text after # EOF is ignored");
          return;
        }
        start = end + 1;
      }
    }

    private String untyped() {
      return openMetrics ? "unknown" : "untyped";
    }

    private void error(int number, String why) {
      if (++badLines <= MAX_ERRORS) {
        errors.add("line " + number + ": " + why);
      }
    }

    private void comment() throws BadLine {
      pos++;
      skipBlanks();
      int keywordStart = pos;
      while (pos < line.length() && !isBlank(line.charAt(pos))) {
        pos++;
      }
      String keyword = line.substring(keywordStart, pos);
      if (!keyword.equals("HELP") && !keyword.equals("TYPE") && !keyword.equals("UNIT")) {
        return;
      }
      skipBlanks();
      String name = metricName();
      if (name.isEmpty()) {
        throw new BadLine(keyword + " without a metric name");
      }
      if (pos < line.length() && !isBlank(line.charAt(pos))) {
        throw new BadLine(
            "bad metric name in " + keyword + " at " + quote(line.substring(keywordStart)));
      }
      skipBlanks();
      String rest = line.substring(pos);
      String type = rest.strip().toLowerCase(Locale.ROOT);
      if (keyword.equals("TYPE") && !TYPES.contains(type)) {
        throw new BadLine("unknown type " + quote(rest.strip()) + " for " + name);
      }
      FamilyBuilder family = families.computeIfAbsent(name, FamilyBuilder::new);
      switch (keyword) {
        case "HELP" -> {
          if (family.help != null) {
            throw new BadLine("second HELP for " + name);
          }
          family.help = unescapeHelp(rest);
        }
        case "TYPE" -> {
          if (family.type != null) {
            throw new BadLine("second TYPE for " + name);
          }
          family.type = type;
        }
        default -> family.unit = rest.strip();
      }
    }

    private static String unescapeHelp(String help) {
      if (help.indexOf('\\') < 0) {
        return help;
      }
      StringBuilder out = new StringBuilder(help.length());
      for (int i = 0; i < help.length(); i++) {
        char c = help.charAt(i);
        if (c == '\\' && i + 1 < help.length()) {
          char next = help.charAt(i + 1);
          if (next == '\\' || next == '"' || next == 'n') {
            out.append(next == 'n' ? '\n' : next);
            i++;
            continue;
          }
        }
        out.append(c);
      }
      return out.toString();
    }

    private void sample() throws BadLine {
      String name = metricName();
      if (name.isEmpty()) {
        throw new BadLine("expected a metric name, found " + quote(line.substring(pos)));
      }
      skipBlanks();
      Map<String, String> labels = Map.of();
      if (pos < line.length() && line.charAt(pos) == '{') {
        pos++;
        labels = labels();
        skipBlanks();
      } else if (pos < line.length() && !isBlank(line.charAt(pos - 1))) {
        throw new BadLine(
            "unexpected " + quote(line.substring(pos)) + " after metric name " + name);
      }
      String valueToken = token();
      if (valueToken.isEmpty()) {
        throw new BadLine("no value for " + name);
      }
      double value = value(valueToken);
      skipBlanks();
      Long timestamp = null;
      if (pos < line.length() && line.charAt(pos) != '#') {
        timestamp = timestamp(token());
        skipBlanks();
        if (pos < line.length() && line.charAt(pos) != '#') {
          throw new BadLine("unexpected " + quote(line.substring(pos)) + " after the timestamp");
        }
      }
      // Whatever follows " # " is an OpenMetrics exemplar, which loadgen does not use.
      Sample sample = new Sample(name, labels, value, timestamp);
      samples.add(sample);
      familyOf(name).samples.add(sample);
    }

    private FamilyBuilder familyOf(String name) {
      FamilyBuilder family = families.get(name);
      if (family != null) {
        return family;
      }
      for (String suffix : SUFFIXES) {
        if (name.endsWith(suffix) && name.length() > suffix.length()) {
          String base = name.substring(0, name.length() - suffix.length());
          family = families.get(base);
          if (family == null && suffix.equals("_created")) {
            family = families.get(base + "_total");
          }
          if (family != null) {
            return family;
          }
        }
      }
      return families.computeIfAbsent(name, FamilyBuilder::new);
    }

    private Map<String, String> labels() throws BadLine {
      Map<String, String> labels = new LinkedHashMap<>();
      while (true) {
        skipBlanks();
        if (pos == line.length()) {
          throw new BadLine("label set not closed by }");
        }
        if (line.charAt(pos) == '}') {
          pos++;
          return labels;
        }
        int nameStart = pos;
        while (pos < line.length() && isNameChar(line.charAt(pos), pos == nameStart, false)) {
          pos++;
        }
        String labelName = line.substring(nameStart, pos);
        if (labelName.isEmpty()) {
          throw new BadLine("expected a label name, found " + quote(line.substring(pos)));
        }
        skipBlanks();
        expect('=', "after label " + labelName);
        skipBlanks();
        expect('"', "to open the value of label " + labelName);
        String labelValue = labelValue(labelName);
        if (labels.put(labelName, labelValue) != null) {
          throw new BadLine("label " + labelName + " appears twice");
        }
        skipBlanks();
        if (pos < line.length() && line.charAt(pos) == ',') {
          pos++;
        } else if (pos < line.length() && line.charAt(pos) != '}') {
          throw new BadLine(
              "expected , or } after label " + labelName + ", found " + quote(line.substring(pos)));
        }
      }
    }

    private String labelValue(String labelName) throws BadLine {
      StringBuilder value = new StringBuilder();
      while (pos < line.length()) {
        char c = line.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\') {
          if (pos == line.length()) {
            break;
          }
          char escaped = line.charAt(pos++);
          switch (escaped) {
            case '\\', '"' -> value.append(escaped);
            case 'n' -> value.append('\n');
            default -> throw new BadLine("invalid escape \\" + escaped + " in label " + labelName);
          }
        } else {
          value.append(c);
        }
      }
      throw new BadLine("value of label " + labelName + " not closed by \"");
    }

    private void expect(char c, String where) throws BadLine {
      if (pos == line.length() || line.charAt(pos) != c) {
        String found = pos == line.length() ? "end of line" : quote(line.substring(pos));
        throw new BadLine("expected " + c + " " + where + ", found " + found);
      }
      pos++;
    }

    private double value(String token) throws BadLine {
      switch (token.toLowerCase(Locale.ROOT)) {
        case "nan", "+nan", "-nan" -> {
          return Double.NaN;
        }
        case "inf", "+inf", "infinity", "+infinity" -> {
          return Double.POSITIVE_INFINITY;
        }
        case "-inf", "-infinity" -> {
          return Double.NEGATIVE_INFINITY;
        }
        default -> {
          if (!isDecimal(token)) {
            throw new BadLine("value " + quote(token) + " is not a number");
          }
          return Double.parseDouble(token);
        }
      }
    }

    private Long timestamp(String token) throws BadLine {
      if (openMetrics) {
        if (!isDecimal(token)) {
          throw new BadLine("timestamp " + quote(token) + " is not a number of seconds");
        }
        double seconds = Double.parseDouble(token);
        if (!(Math.abs(seconds) < 9e15)) {
          throw new BadLine("timestamp " + quote(token) + " is out of range");
        }
        return Math.round(seconds * 1000);
      }
      int digits = token.startsWith("-") ? 1 : 0;
      if (digits == token.length()) {
        throw new BadLine("timestamp " + quote(token) + " is not whole milliseconds");
      }
      for (int i = digits; i < token.length(); i++) {
        if (token.charAt(i) < '0' || token.charAt(i) > '9') {
          throw new BadLine("timestamp " + quote(token) + " is not whole milliseconds");
        }
      }
      try {
        return Long.parseLong(token);
      } catch (NumberFormatException e) {
        throw new BadLine("timestamp " + quote(token) + " is out of range");
      }
    }

    /**
     * {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}: what Double.parseDouble
     * must see.
     */
    private static boolean isDecimal(String s) {
      int i = 0;
      int n = s.length();
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int digits = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        digits++;
      }
      if (i < n && s.charAt(i) == '.') {
        i++;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
          digits++;
        }
      }
      if (digits == 0) {
        return false;
      }
      if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        int exponentDigits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
          exponentDigits++;
        }
        if (exponentDigits == 0) {
          return false;
        }
      }
      return i == n;
    }

    private String metricName() {
      int start = pos;
      while (pos < line.length() && isNameChar(line.charAt(pos), pos == start, true)) {
        pos++;
      }
      return line.substring(start, pos);
    }

    private String token() {
      int start = pos;
      while (pos < line.length() && !isBlank(line.charAt(pos))) {
        pos++;
      }
      return line.substring(start, pos);
    }

    private void skipBlanks() {
      while (pos < line.length() && isBlank(line.charAt(pos))) {
        pos++;
      }
    }

    private static boolean isBlank(char c) {
      return c == ' ' || c == '\t';
    }

    /** Metric names are {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; label names the same without colons. */
    private static boolean isNameChar(char c, boolean first, boolean colon) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || c == '_'
          || (colon && c == ':')
          || (!first && c >= '0' && c <= '9');
    }

    private static String quote(String s) {
      return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
  }
}
