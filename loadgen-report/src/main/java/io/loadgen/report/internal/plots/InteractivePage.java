package io.loadgen.report.internal.plots;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Writes a chart as one HTML page that opens offline: uPlot's code and stylesheet inline, read from
 * the uPlot WebJar on the classpath, and the chart's data as a JSON block the page's script draws.
 *
 * <p>The JSON holds the series exactly as given (a scatter's points in their own order; the page
 * sorts them for uPlot) with NaN and infinities as {@code null}, which uPlot draws as a gap. Text
 * in it has {@code <}, {@code >} and {@code &} escaped as {@code \}{@code u003c} and so on, so that
 * nothing in a title or a server's URL can close the {@code <script>} block.
 */
public final class InteractivePage {
  private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
  private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
  private static final String TEMPLATE = "interactive.html";
  private static final String CSS_SLOT = "/*UPLOT_CSS*/";
  private static final String JS_SLOT = "/*UPLOT_JS*/";
  private static final String JSON_SLOT = "/*CHART_JSON*/";

  private final String beforeCss;
  private final String css;
  private final String betweenCssAndJson;
  private final String betweenJsonAndJs;
  private final String js;
  private final String afterJs;
  private static final CharacterEscapes ESCAPES = new HtmlSafeEscapes();
  private final JsonFactory json;

  private InteractivePage(String template, String css, String js) {
    int cssAt = template.indexOf(CSS_SLOT);
    int jsonAt = template.indexOf(JSON_SLOT);
    int jsAt = template.indexOf(JS_SLOT);
    if (cssAt < 0 || jsonAt < cssAt || jsAt < jsonAt) {
      throw new IllegalStateException("the page template lost a slot");
    }
    this.beforeCss = template.substring(0, cssAt);
    this.css = css;
    this.betweenCssAndJson = template.substring(cssAt + CSS_SLOT.length(), jsonAt);
    this.betweenJsonAndJs = template.substring(jsonAt + JSON_SLOT.length(), jsAt);
    this.js = js;
    this.afterJs = template.substring(jsAt + JS_SLOT.length());
    this.json = new JsonFactory();
  }

  /** Reads the template and uPlot's files from the classpath. */
  public static InteractivePage load() {
    ClassLoader loader = InteractivePage.class.getClassLoader();
    Properties webjar = new Properties();
    try (InputStream in = loader.getResourceAsStream(WEBJAR_POM)) {
      if (in == null) {
        throw new IllegalStateException("uPlot's WebJar is not on the classpath");
      }
      webjar.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String dist = WEBJAR + webjar.getProperty("version") + "/dist/";
    String css = resource(loader, dist + "uPlot.min.css");
    String js = resource(loader, dist + "uPlot.iife.min.js");
    // Inline code that closed its own block would break the page; uPlot's does not, checked here.
    if (css.toLowerCase(Locale.ROOT).contains("</style")
        || js.toLowerCase(Locale.ROOT).contains("</script")) {
      throw new IllegalStateException("uPlot's files cannot be inlined as they are");
    }
    String template =
        resource(loader, InteractivePage.class.getPackageName().replace('.', '/') + "/" + TEMPLATE);
    return new InteractivePage(template, css, js);
  }

  private static String resource(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code chart}'s page to {@code file}, streaming: a token scatter can be large. */
  public void write(InteractiveChart chart, Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(beforeCss);
      out.write(css);
      out.write(betweenCssAndJson);
      try (JsonGenerator generator = json.createGenerator(out)) {
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.setCharacterEscapes(ESCAPES);
        writeJson(chart, generator);
      }
      out.write(betweenJsonAndJs);
      out.write(js);
      out.write(afterJs);
    }
  }

  private static void writeJson(InteractiveChart chart, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("title", chart.title());
    out.writeStringField("kind", chart.kind().name().toLowerCase(Locale.ROOT));
    out.writeStringField("xLabel", chart.xLabel());
    out.writeStringField("yLabel", chart.yLabel());
    out.writeStringField("rightYLabel", chart.rightYLabel());
    out.writeArrayFieldStart("series");
    for (InteractiveChart.Trace trace : chart.traces()) {
      Series series = trace.series();
      out.writeStartObject();
      out.writeStringField("name", series.name());
      out.writeBooleanField("rightAxis", trace.rightAxis());
      out.writeArrayFieldStart("x");
      for (int i = 0; i < series.size(); i++) {
        number(out, series.x(i));
      }
      out.writeEndArray();
      out.writeArrayFieldStart("y");
      for (int i = 0; i < series.size(); i++) {
        number(out, series.y(i));
      }
      out.writeEndArray();
      out.writeEndObject();
    }
    out.writeEndArray();
    PlotData.Heatmap heatmap = chart.heatmap();
    if (heatmap != null) {
      out.writeObjectFieldStart("heatmap");
      out.writeNumberField("xStart", heatmap.xStart());
      out.writeNumberField("xWidth", heatmap.xWidth());
      out.writeNumberField("columns", heatmap.columns());
      out.writeNumberField("yStart", heatmap.yStart());
      out.writeNumberField("yHeight", heatmap.yHeight());
      out.writeNumberField("rows", heatmap.rows());
      out.writeArrayFieldStart("counts");
      for (long count : heatmap.counts()) {
        out.writeNumber(count);
      }
      out.writeEndArray();
      out.writeEndObject();
    }
    out.writeEndObject();
  }

  private static void number(JsonGenerator out, double value) throws IOException {
    if (Double.isFinite(value)) {
      out.writeNumber(value);
    } else {
      out.writeNull(); // JSON has no NaN; uPlot leaves a gap at null
    }
  }

  /** JSON's escapes plus {@code <}, {@code >} and {@code &}, for text inside a script block. */
  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] escapes;

    HtmlSafeEscapes() {
      escapes = CharacterEscapes.standardAsciiEscapesForJSON();
      escapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
      escapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
      escapes['&'] = CharacterEscapes.ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
