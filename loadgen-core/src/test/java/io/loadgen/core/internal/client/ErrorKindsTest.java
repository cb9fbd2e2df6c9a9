package io.loadgen.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loadgen.core.Transport;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslClosedEngineException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorKindsTest {

  // The kinds by type, one exception of each type the rules name.

  @Test
  void timeoutsAreTimeoutsWhateverLayerTimedOut() {
    assertEquals(
        ErrorKinds.TIMEOUT,
        ErrorKinds.of(new TimeoutException("The timeout period of 300ms has been exceeded")));
    assertEquals(ErrorKinds.TIMEOUT, ErrorKinds.of(ReadTimeoutException.INSTANCE));
    assertEquals(ErrorKinds.TIMEOUT, ErrorKinds.of(WriteTimeoutException.INSTANCE));
    assertEquals(ErrorKinds.TIMEOUT, ErrorKinds.of(new SocketTimeoutException("Read timed out")));
  }

  @Test
  void aConnectTimeoutIsAConnectTimeoutThoughNettyMakesItAConnectException() {
    ConnectTimeoutException timeout =
        new ConnectTimeoutException("connection timed out after 10000 ms: /10.0.0.1:80");
    assertEquals(ErrorKinds.CONNECT_TIMEOUT, ErrorKinds.of(timeout));
  }

  @Test
  void aConnectTheKernelGaveUpOnIsAConnectTimeoutNotARefusal() {
    // ETIMEDOUT as Java's NIO, Netty's annotation of it, and Netty's native transports say it.
    assertEquals(
        ErrorKinds.CONNECT_TIMEOUT, ErrorKinds.of(new ConnectException("Connection timed out")));
    assertEquals(
        ErrorKinds.CONNECT_TIMEOUT,
        ErrorKinds.of(
            new VertxException(
                "connect failed", new ConnectException("Connection timed out: /10.0.0.1:80"))));
    assertEquals(
        ErrorKinds.CONNECT_TIMEOUT,
        ErrorKinds.of(
            new ConnectException("connect(..) failed: Connection timed out: /10.0.0.1:80")));
  }

  @Test
  void aSocketTheFileLimitRefusedSaysWhichLimitAndWhatToDo() {
    // As Netty's NIO and native transports fail to open a socket at the process's limit.
    String advice = "too many open files: raise the limit (ulimit -n) or lower the concurrency";
    assertEquals(
        advice,
        ErrorKinds.describe(
            new io.netty.channel.ChannelException(
                "Failed to open a socket.", new SocketException("Too many open files"))));
    assertEquals(
        advice,
        ErrorKinds.describe(
            new io.netty.channel.ChannelException(
                new io.netty.channel.unix.Errors.NativeIoException(
                    "newSocketStream(..) failed: Too many open files", -24))));
    assertEquals(advice, ErrorKinds.describe(new SocketException("Too many open files in system")));
    assertEquals(
        "Connection refused", ErrorKinds.describe(new ConnectException("Connection refused")));
  }

  @Test
  void aTlsHandshakeTimeoutIsATimeoutThoughItIsAnSslException() {
    assertEquals(
        ErrorKinds.TIMEOUT,
        ErrorKinds.of(new SslHandshakeTimeoutException("handshake timed out after 10000ms")));
  }

  @Test
  void aRefusedConnectionIsConnectionRefused() {
    assertEquals(
        ErrorKinds.CONNECTION_REFUSED, ErrorKinds.of(new ConnectException("Connection refused")));
  }

  @Test
  void aNameThatDoesNotResolveIsUnknownHost() {
    assertEquals(
        ErrorKinds.UNKNOWN_HOST,
        ErrorKinds.of(new UnknownHostException("Failed to resolve 'x.invalid'")));
  }

  @Test
  void anHttp2StreamResetIsStreamReset() {
    assertEquals(ErrorKinds.STREAM_RESET, ErrorKinds.of(new StreamResetException(8)));
  }

  @Test
  void aConnectionClosedUnderTheRequestIsConnectionClosed() {
    assertEquals(
        ErrorKinds.CONNECTION_CLOSED,
        ErrorKinds.of(new HttpClosedException("Connection was closed")));
    assertEquals(ErrorKinds.CONNECTION_CLOSED, ErrorKinds.of(new ClosedChannelException()));
    assertEquals(
        ErrorKinds.CONNECTION_CLOSED,
        ErrorKinds.of(
            new PrematureChannelClosureException(
                "channel gone inactive with 1 missing response(s)")));
    assertEquals(
        ErrorKinds.CONNECTION_CLOSED,
        ErrorKinds.of(new SslClosedEngineException("SSLEngine closed")));
    assertEquals(ErrorKinds.CONNECTION_CLOSED, ErrorKinds.of(new IOException("Broken pipe")));
  }

  @Test
  void javasOwnResetIsConnectionResetByItsFixedWords() {
    assertEquals(
        ErrorKinds.CONNECTION_RESET, ErrorKinds.of(new SocketException("Connection reset")));
    assertEquals(
        ErrorKinds.CONNECTION_RESET, ErrorKinds.of(new IOException("Connection reset by peer")));
  }

  @Test
  void bytesThatAreNotHttpAreAnInvalidResponse() {
    assertEquals(
        ErrorKinds.INVALID_RESPONSE,
        ErrorKinds.of(new TooLongHttpLineException("An HTTP line is larger than 4096 bytes.")));
    assertEquals(
        ErrorKinds.INVALID_RESPONSE,
        ErrorKinds.of(new NotSslRecordException("not an SSL/TLS record")));
  }

  @Test
  void theKindIsFoundThroughTheWrappers() {
    assertEquals(
        ErrorKinds.CONNECTION_REFUSED,
        ErrorKinds.of(
            new VertxException("connect failed", new ConnectException("Connection refused"))));
    assertEquals(
        ErrorKinds.UNKNOWN_HOST,
        ErrorKinds.of(
            new CompletionException(new VertxException(new UnknownHostException("x.invalid")))));
    assertEquals(
        ErrorKinds.INVALID_RESPONSE,
        ErrorKinds.of(
            new SSLHandshakeException("Failed to create SSL connection") {
              {
                initCause(new NotSslRecordException("not an SSL/TLS record: 485454502f"));
              }
            }));
  }

  @Test
  void aMessageAloneNeverDecidesTheKind() {
    // Each message once named a kind to a substring test; none of these types says anything.
    assertEquals(
        ErrorKinds.CLIENT_ERROR, ErrorKinds.of(new IllegalStateException("Client is closed")));
    assertEquals(
        ErrorKinds.CLIENT_ERROR,
        ErrorKinds.of(new VertxException("timeout while reading the pool")));
    assertEquals(
        ErrorKinds.CLIENT_ERROR,
        ErrorKinds.of(new RuntimeException("connection refused, or so we heard")));
    assertEquals(
        ErrorKinds.CLIENT_ERROR,
        ErrorKinds.of(new SocketException("Connection reset, more or less")));
    assertEquals(
        ErrorKinds.CLIENT_ERROR,
        ErrorKinds.of(
            new java.io.UncheckedIOException(new IOException("Connection reset by peer") {})));
  }

  @Test
  void aFailedTlsHandshakeAndAnythingElseIsAClientError() {
    assertEquals(
        ErrorKinds.CLIENT_ERROR,
        ErrorKinds.of(new SSLHandshakeException("PKIX path building failed")));
    assertEquals(
        ErrorKinds.CLIENT_ERROR, ErrorKinds.of(new SocketException("Network is unreachable")));
    assertEquals(ErrorKinds.CLIENT_ERROR, ErrorKinds.of(new IOException("Too many open files")));
    assertEquals(
        ErrorKinds.CLIENT_ERROR,
        ErrorKinds.of(new IllegalArgumentException("invalid version format: GARBAGE")));
  }

  // The kinds of real failures, as each transport reports them.

  @ParameterizedTest
  @EnumSource(
      value = Transport.class,
      names = {"NIO", "EPOLL", "IO_URING"})
  void aServerThatResetsTheConnectionIsConnectionReset(Transport transport) throws Exception {
    assertEquals(
        ErrorKinds.CONNECTION_RESET,
        kindOfRealFailure(
            transport,
            socket -> {
              readHead(socket.getInputStream());
              socket.setSoLinger(true, 0);
              socket.close();
            },
            new RequestOptions()));
  }

  @ParameterizedTest
  @EnumSource(
      value = Transport.class,
      names = {"NIO", "EPOLL", "IO_URING"})
  void aServerThatClosesMidStreamIsConnectionClosed(Transport transport) throws Exception {
    assertEquals(
        ErrorKinds.CONNECTION_CLOSED,
        kindOfRealFailure(
            transport,
            socket -> {
              readHead(socket.getInputStream());
              OutputStream out = socket.getOutputStream();
              out.write(
                  ("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                          + "6\r\ndata: \r\n")
                      .getBytes(StandardCharsets.US_ASCII));
              out.flush();
              socket.close();
            },
            new RequestOptions()));
  }

  @ParameterizedTest
  @EnumSource(
      value = Transport.class,
      names = {"NIO", "EPOLL", "IO_URING"})
  void nothingListeningIsConnectionRefused(Transport transport) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertEquals(
        ErrorKinds.CONNECTION_REFUSED,
        kindOfRequest(transport, new RequestOptions().setPort(port)));
  }

  @ParameterizedTest
  @EnumSource(
      value = Transport.class,
      names = {"NIO", "EPOLL", "IO_URING"})
  void aServerThatGoesQuietIsATimeout(Transport transport) throws Exception {
    // The server reads the request and waits for the client to hang up.
    assertEquals(
        ErrorKinds.TIMEOUT,
        kindOfRealFailure(
            transport,
            socket -> {
              InputStream in = socket.getInputStream();
              while (in.read() >= 0) {
                // drained until the client gives up
              }
            },
            new RequestOptions().setIdleTimeout(50)));
  }

  @ParameterizedTest
  @EnumSource(
      value = Transport.class,
      names = {"NIO", "EPOLL", "IO_URING"})
  void aConnectionNobodyAcceptsInTimeIsAConnectTimeout(Transport transport) throws Exception {
    // A listener that never accepts, its backlog filled: the kernel drops further SYNs, so the
    // client's connect neither succeeds nor is refused, as with a host that drops packets.
    try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      java.util.List<Socket> fillers = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket filler = new Socket();
          try {
            filler.connect(server.getLocalSocketAddress(), 100);
            fillers.add(filler);
          } catch (SocketTimeoutException full) {
            filler.close();
            break;
          }
        }
        // The client's connect timeout, as a run sets it (a request's own is the pool's wait).
        assertEquals(
            ErrorKinds.CONNECT_TIMEOUT,
            kindOfRequest(
                transport,
                new HttpClientOptions().setConnectTimeout(200),
                new RequestOptions().setPort(server.getLocalPort())));
      } finally {
        for (Socket filler : fillers) {
          filler.close();
        }
      }
    }
  }

  @Test
  void tlsToAPlainHttpServerIsAnInvalidResponse() throws Exception {
    assertEquals(
        ErrorKinds.INVALID_RESPONSE,
        kindOfRealFailure(
            Transport.NIO,
            socket -> {
              socket.getInputStream().read(new byte[512]); // some of the TLS ClientHello
              socket
                  .getOutputStream()
                  .write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              socket.close();
            },
            new RequestOptions().setSsl(true)));
  }

  /** What a plain server does with the one connection it accepts. */
  @FunctionalInterface
  private interface Script {
    void serve(Socket socket) throws Exception;
  }

  /** The kind of the failure of one POST to a server that runs {@code script}. */
  private static String kindOfRealFailure(
      Transport transport, Script script, RequestOptions options) throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      CompletableFuture<Void> served =
          CompletableFuture.runAsync(
              () -> {
                try (Socket socket = server.accept()) {
                  script.serve(socket);
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      String kind = kindOfRequest(transport, options.setPort(server.getLocalPort()));
      served.get(10, TimeUnit.SECONDS);
      return kind;
    }
  }

  /**
   * The kind of the failure of one POST, read as {@link Exchange} reads a response; a success
   * fails.
   */
  private static String kindOfRequest(Transport transport, RequestOptions options)
      throws Exception {
    return kindOfRequest(transport, new HttpClientOptions(), options);
  }

  private static String kindOfRequest(
      Transport transport, HttpClientOptions clientOptions, RequestOptions options)
      throws Exception {
    Vertx vertx = Transports.vertx(transport, 1);
    try {
      HttpClient client = vertx.createHttpClient(clientOptions);
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      options.setMethod(HttpMethod.POST).setHost("127.0.0.1").setURI("/v1/chat/completions");
      vertx.runOnContext(
          v ->
              client
                  .request(options)
                  .compose(
                      request -> {
                        request.end("{}");
                        return request.response();
                      })
                  .compose(
                      response -> {
                        response.exceptionHandler(failure::complete);
                        return response.body();
                      })
                  .onComplete(ar -> failure.complete(ar.failed() ? ar.cause() : null)));
      Throwable failed = failure.get(10, TimeUnit.SECONDS);
      if (failed == null) {
        throw new AssertionError("the request succeeded");
      }
      return ErrorKinds.of(failed);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Reads up to the blank line that ends a request's head (the request body is not needed). */
  private static void readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      head.write(b);
      if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        return;
      }
    }
  }
}
