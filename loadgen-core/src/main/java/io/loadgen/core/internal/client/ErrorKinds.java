package io.loadgen.core.internal.client;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Names the kind of a transport failure, as counted in {@code errors_by_kind}. */
public final class ErrorKinds {
  public static final String CONNECTION_REFUSED = "connection_refused";
  public static final String UNKNOWN_HOST = "unknown_host";
  public static final String CONNECTION_CLOSED = "connection_closed";
  public static final String CONNECTION_RESET = "connection_reset";
  public static final String STREAM_RESET = "stream_reset";
  public static final String TIMEOUT = "timeout";
  public static final String STREAM_ERROR = "stream_error";
  public static final String INVALID_RESPONSE = "invalid_response";
  public static final String EMPTY_RESPONSE = "empty_response";
  public static final String CLIENT_ERROR = "client_error";

  private ErrorKinds() {}

  /** The kind of an HTTP status that is not 2xx. */
  public static String httpStatus(int status) {
    return "http_" + status;
  }

  /** The kind of a transport failure. */
  public static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return CONNECTION_REFUSED;
      }
      if (t instanceof UnknownHostException) {
        return UNKNOWN_HOST;
      }
      if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
        return TIMEOUT;
      }
      if (t instanceof StreamResetException) {
        return STREAM_RESET;
      }
      if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
        return CONNECTION_CLOSED;
      }
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("connection reset")) {
        return CONNECTION_RESET;
      }
      if (message.contains("connection refused")) {
        return CONNECTION_REFUSED;
      }
      if (message.contains("closed")) {
        return CONNECTION_CLOSED;
      }
      if (message.contains("timeout") || message.contains("timed out")) {
        return TIMEOUT;
      }
    }
    return CLIENT_ERROR;
  }

  /** A one-line description of a transport failure, with no stack trace. */
  public static String describe(Throwable failure) {
    String message = failure.getMessage();
    String name = failure.getClass().getSimpleName();
    return message == null || message.isBlank() ? name : message.replaceAll("\\s+", " ");
  }
}
