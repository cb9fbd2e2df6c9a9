package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * report.html of a real run, and of a sweep, against the simulated server, opened from disk in
 * headless Chromium: it loads with no console error, every chart draws and the table is there.
 * Needs Debian's {@code chromium} and {@code chromium-driver} (.ci/run installs them); skipped
 * without them, except where {@code LOADGEN_REQUIRE_BROWSER=1}.
 */
class ReportBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * Skips without Chromium, but for where {@code LOADGEN_REQUIRE_BROWSER=1} (CI's .ci/run): there a
   * missing browser fails, so a green CI means these tests ran.
   */
  static void needChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "1".equals(System.getenv("LOADGEN_REQUIRE_BROWSER"))) {
      fail("LOADGEN_REQUIRE_BROWSER=1, but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    }
    assumeTrue(
        present,
        "skipped: the browser test needs "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver)");
  }

  @Tag("e2e")
  @Test
  void theReportOpensOfflineWithEveryChartDrawnAndNoConsoleError(@TempDir Path dir)
      throws IOException {
    needChromium();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "profile",
              "-m",
              "m",
              "--streaming",
              "-u",
              "sim://default",
              "--concurrency",
              "2",
              "--request-count",
              "6",
              "--synthetic-input-tokens-mean",
              "50",
              "--extra-inputs",
              "max_tokens:10",
              "--generate-plots",
              "--artifact-dir",
              dir.toString()
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    Path runDir = dir.resolve("m-openai-chat-concurrency2");
    Path report = runDir.resolve("report.html");
    assertTrue(out.toString().contains("Report: " + report.toAbsolutePath()), out.toString());
    long charts;
    try (Stream<Path> files = Files.list(runDir.resolve("plots"))) {
      charts = files.filter(f -> f.toString().endsWith(".png")).count();
    }

    ChromeDriver browser = browser();
    try {
      browser.get(report.toUri().toString());
      assertEveryImageDrew(browser, charts);
      String table = browser.findElement(By.id("console-table")).getText();
      assertTrue(table.contains("Time To First Token (ms)"), table);
      assertTrue(table.contains("Request Latency (ms)"), table);
      assertNoSevereConsoleEntry(browser);
      Path screenshot = Path.of("target", "report-screenshot.png");
      Files.createDirectories(screenshot.getParent());
      Files.copy(
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
          screenshot,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      browser.quit();
    }
  }

  @Tag("e2e")
  @Test
  void theSweepReportOpensOfflineWithEveryChartDrawnAndNoConsoleError(@TempDir Path dir) {
    needChromium();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "profile",
              "-m",
              "m",
              "--streaming",
              "-u",
              "sim://default",
              "--concurrency",
              "1,2",
              "--request-count",
              "4",
              "--synthetic-input-tokens-mean",
              "30",
              "--extra-inputs",
              "max_tokens:8",
              "--server-metrics-interval",
              "0.05",
              "--artifact-dir",
              dir.toString()
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    Path report = dir.resolve("report.html");
    assertTrue(out.toString().contains("Sweep report: " + report.toAbsolutePath()), out.toString());
    ChromeDriver browser = browser();
    try {
      browser.get(report.toUri().toString());
      // TTFT, ITL, throughput against latency, and KV-cache usage: the simulator has the gauge.
      assertEveryImageDrew(browser, 4);
      String table = browser.findElement(By.id("console-table")).getText();
      assertTrue(table.contains("Sweep Summary") && table.contains("concurrency 2"), table);
      assertNoSevereConsoleEntry(browser);
    } finally {
      browser.quit();
    }
  }

  private static ChromeDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox will not start.
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2400");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static void assertEveryImageDrew(ChromeDriver browser, long charts) {
    List<WebElement> images = browser.findElements(By.tagName("img"));
    assertEquals(charts, images.size(), "one image per chart");
    JavascriptExecutor js = browser;
    for (WebElement image : images) {
      Object width =
          js.executeScript("return arguments[0].complete && arguments[0].naturalWidth", image);
      assertTrue(
          width instanceof Long drawn && drawn > 0,
          image.getAttribute("alt") + " did not draw: " + width);
    }
  }

  private static void assertNoSevereConsoleEntry(ChromeDriver browser) {
    List<LogEntry> severe =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertEquals(List.of(), severe, "console errors");
  }
}
