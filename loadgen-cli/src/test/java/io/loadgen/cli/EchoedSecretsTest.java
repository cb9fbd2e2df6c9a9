package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose errors echo the request's headers, as proxies and gateways do: loadgen prints,
 * logs and exports what it said with every secret replaced.
 */
@Tag("e2e")
class EchoedSecretsTest {
  private static final String API_KEY = "sk-echoed-secret-1";
  private static final String TEAM_TOKEN = "t0ken-echoed-2";

  /** Answers every request with {@code status} and a JSON error quoting its headers. */
  private static HttpServer echoing(int status) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          StringBuilder headers = new StringBuilder();
          for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            headers
                .append(header.getKey())
                .append(": ")
                .append(String.join(",", header.getValue()))
                .append("; ");
          }
          byte[] body =
              ("{\"error\":{\"message\":\"upstream refused the request with " + headers + "\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static String[] args(HttpServer server, Path dir) {
    return new String[] {
      "profile",
      "-m",
      "m",
      "--streaming",
      "-u",
      "127.0.0.1:" + server.getAddress().getPort(),
      "--request-count",
      "4",
      "--synthetic-input-tokens-mean",
      "20",
      "--server-metrics-interval",
      "0",
      "--header",
      "Authorization:Bearer " + API_KEY,
      "--header",
      "X-Team-Token:" + TEAM_TOKEN,
      "--artifact-dir",
      dir.toString()
    };
  }

  private static void assertNoSecretIn(String text, String where) {
    assertFalse(text.contains(API_KEY) || text.contains(TEAM_TOKEN), where + ": " + text);
  }

  private static void assertNoSecretInAnyFile(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertNoSecretIn(Files.readString(file, StandardCharsets.ISO_8859_1), file.toString());
      }
    }
  }

  @Test
  void aServerErrorThatEchoesTheHeadersIsExportedWithTheSecretsReplaced(@TempDir Path dir)
      throws IOException {
    HttpServer server = echoing(500);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try {
      code = Main.run(args(server, dir), new PrintWriter(out, true), new PrintWriter(err, true));
    } finally {
      server.stop(0);
    }
    assertEquals(1, code, err.toString());
    assertNoSecretIn(out.toString(), "stdout");
    assertNoSecretIn(err.toString(), "stderr");
    assertNoSecretInAnyFile(dir);
    String export;
    try (Stream<Path> files = Files.walk(dir)) {
      Path raw =
          files
              .filter(f -> f.getFileName().toString().equals("profile_export.json"))
              .findFirst()
              .orElseThrow();
      export = Files.readString(raw);
    }
    // The rest of what the server said is kept: only the secrets are gone.
    assertTrue(
        export.contains("upstream refused the request with")
            && export.contains("Authorization: <redacted>"),
        export);
  }

  @Test
  void aRefusalThatEchoesTheHeadersIsReportedWithTheSecretsReplaced(@TempDir Path dir)
      throws IOException {
    HttpServer server = echoing(401);
    StringWriter err = new StringWriter();
    int code;
    try {
      code =
          Main.run(
              args(server, dir),
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true));
    } finally {
      server.stop(0);
    }
    assertEquals(1, code, err.toString());
    assertTrue(
        err.toString().contains("http_401") && err.toString().contains("<redacted>"),
        err.toString());
    assertNoSecretIn(err.toString(), "stderr");
    assertNoSecretInAnyFile(dir);
  }
}
