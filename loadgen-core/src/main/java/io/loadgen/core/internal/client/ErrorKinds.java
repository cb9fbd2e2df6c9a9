package io.loadgen.core.internal.client;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslClosedEngineException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Names the kind of a failed request, as counted in {@code errors_by_kind}. The names are exported
 * (the reports, the raw export, the abort message), so they do not change.
 *
 * <p>A transport failure's kind is read from the types of the exceptions in its cause chain, the
 * outermost that says what happened winning (Vert.x wraps Netty's, Netty the JDK's):
 *
 * <ul>
 *   <li>{@value #CONNECT_TIMEOUT}: no connection within the connect timeout: Netty's {@link
 *       ConnectTimeoutException}, or a {@link ConnectException} whose message holds the system's
 *       {@code Connection timed out} (the kernel gave up first, {@code ETIMEDOUT}; Netty prefixes
 *       {@code connect(..) failed: } and appends the address); tested first, since both are {@link
 *       ConnectException}s, which would otherwise read as refused;
 *   <li>{@value #TIMEOUT}: a {@link TimeoutException} (Vert.x's request and idle timeouts), Netty's
 *       {@link io.netty.handler.timeout.TimeoutException} (its read and write timeouts), {@link
 *       SslHandshakeTimeoutException}, {@link DnsNameResolverTimeoutException} or a {@link
 *       SocketTimeoutException}; tested before SSL failures, since a handshake timeout is one;
 *   <li>{@value #CONNECTION_REFUSED}: any other {@link ConnectException} (Netty's annotated and
 *       native ones are);
 *   <li>{@value #UNKNOWN_HOST}: an {@link UnknownHostException};
 *   <li>{@value #STREAM_RESET}: an HTTP/2 {@link StreamResetException};
 *   <li>{@value #CONNECTION_CLOSED}: {@link HttpClosedException} (the server closed the connection
 *       before the response ended), a {@link ClosedChannelException}, {@link
 *       PrematureChannelClosureException} or {@link SslClosedEngineException}; and a write to a
 *       connection the server had closed ({@code EPIPE});
 *   <li>{@value #CONNECTION_RESET}: the server reset the connection ({@code ECONNRESET}): a native
 *       transport's {@link Errors.NativeIoException} carries the errno; Java's NIO says it only in
 *       the message of a plain {@link SocketException} or {@link IOException}, which is read for
 *       that alone, and only from those two classes;
 *   <li>{@value #INVALID_RESPONSE}: a {@link DecoderException} of its own (no cause): the bytes
 *       were not HTTP, or a line or header was too long; or a {@link NotSslRecordException}: an
 *       {@code https} URL at a server that answers in plain text;
 *   <li>{@value #CLIENT_ERROR}: none of these anywhere in the chain (a TLS handshake that failed,
 *       say).
 * </ul>
 */
public final class ErrorKinds {
  public static final String CONNECTION_REFUSED = "connection_refused";
  public static final String UNKNOWN_HOST = "unknown_host";
  public static final String CONNECTION_CLOSED = "connection_closed";
  public static final String CONNECTION_RESET = "connection_reset";
  public static final String STREAM_RESET = "stream_reset";
  public static final String TIMEOUT = "timeout";
  public static final String CONNECT_TIMEOUT = "connect_timeout";
  public static final String STREAM_ERROR = "stream_error";
  public static final String INVALID_RESPONSE = "invalid_response";
  public static final String EMPTY_RESPONSE = "empty_response";
  public static final String CLIENT_ERROR = "client_error";

  /** What a socket that the file-descriptor limit refused says. */
  static final String TOO_MANY_OPEN_FILES =
      "too many open files: raise the limit (ulimit -n) or lower the concurrency";

  private ErrorKinds() {}

  /** The kind of an HTTP status that is not 2xx. */
  public static String httpStatus(int status) {
    return "http_" + status;
  }

  /** The kind of a transport failure, by the rules above. */
  public static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String kind = kindOf(t);
      if (kind != null) {
        return kind;
      }
    }
    return CLIENT_ERROR;
  }

  /** The kind {@code t}'s own type says, or null when it says none. */
  private static String kindOf(Throwable t) {
    if (t instanceof ConnectTimeoutException
        || (t instanceof ConnectException
            && t.getMessage() != null
            && t.getMessage().contains("Connection timed out"))) {
      return CONNECT_TIMEOUT;
    }
    if (t instanceof TimeoutException
        || t instanceof io.netty.handler.timeout.TimeoutException
        || t instanceof SslHandshakeTimeoutException
        || t instanceof DnsNameResolverTimeoutException
        || t instanceof SocketTimeoutException) {
      return TIMEOUT;
    }
    if (t instanceof ConnectException) {
      return CONNECTION_REFUSED;
    }
    if (t instanceof UnknownHostException) {
      return UNKNOWN_HOST;
    }
    if (t instanceof StreamResetException) {
      return STREAM_RESET;
    }
    if (t instanceof HttpClosedException
        || t instanceof ClosedChannelException
        || t instanceof PrematureChannelClosureException
        || t instanceof SslClosedEngineException) {
      return CONNECTION_CLOSED;
    }
    if (t instanceof Errors.NativeIoException nativeFailure) {
      return NativeErrno.kindOf(nativeFailure.expectedErr());
    }
    if (t.getClass() == SocketException.class || t.getClass() == IOException.class) {
      return jdkSocketFailure(t.getMessage());
    }
    if (t instanceof NotSslRecordException
        || (t instanceof DecoderException && t.getCause() == null)) {
      return INVALID_RESPONSE;
    }
    return null;
  }

  /**
   * Java's NIO sockets report a reset on read as {@code SocketException("Connection reset")}, and a
   * failed write with the system's own words ({@code strerror}): these are the only messages read.
   */
  private static String jdkSocketFailure(String message) {
    if (message == null) {
      return null;
    }
    return switch (message) {
      case "Connection reset", "Connection reset by peer" -> CONNECTION_RESET;
      case "Broken pipe" -> CONNECTION_CLOSED;
      default -> null;
    };
  }

  /**
   * Netty's errno constants, read only once a native transport has failed: their class asks the
   * native library, which is loaded by then.
   */
  private static final class NativeErrno {
    static String kindOf(int negativeErrno) {
      if (negativeErrno == Errors.ERRNO_ECONNRESET_NEGATIVE) {
        return CONNECTION_RESET;
      }
      if (negativeErrno == Errors.ERRNO_EPIPE_NEGATIVE) {
        return CONNECTION_CLOSED;
      }
      return null;
    }
  }

  /**
   * Whether {@code t}'s message ends with {@code systemMessage}: Java and Netty's native transports
   * both end a failed system call's message with the system's own words ({@code strerror}), Netty
   * after {@code "newSocketStream(..) failed: "}.
   */
  private static boolean endsWith(Throwable t, String systemMessage) {
    return t.getMessage() != null && t.getMessage().endsWith(systemMessage);
  }

  /**
   * A one-line description of a transport failure, with no stack trace. A socket that could not be
   * opened for the process's file-descriptor limit ({@code EMFILE}, or the system's: {@code
   * ENFILE}) says which limit and what to do: the system's words name neither.
   */
  public static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException
          && (endsWith(t, "Too many open files") || endsWith(t, "Too many open files in system"))) {
        return TOO_MANY_OPEN_FILES;
      }
    }
    String message = failure.getMessage();
    String name = failure.getClass().getSimpleName();
    return message == null || message.isBlank() ? name : message.replaceAll("\\s+", " ");
  }
}
