package io.loadgen.core.internal.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An incremental parser of the {@code text/event-stream} format as the WHATWG HTML standard
 * ("Server-sent events", interpreting an event stream) defines it, fed network buffers split at any
 * byte. Confined to one thread (an event loop), one stream at a time.
 *
 * <p>Rules followed: lines end in CRLF, LF or CR, and a CR that ends one buffer and an LF that
 * starts the next are one line end; one leading UTF-8 byte order mark is skipped; a line starting
 * with {@code :} is a comment; a field's value loses one leading space, no more; a line without a
 * colon is a field whose name is the whole line and whose value is empty; {@code data} values are
 * joined with LF; {@code event} sets the type of the event being built; a blank line dispatches the
 * event, unless no {@code data} line was seen since the last dispatch; {@code id}, {@code retry}
 * and unknown fields are read and ignored, since they only matter to reconnection, which loadgen
 * never does; an event left incomplete at the end of the stream is never dispatched.
 *
 * <p>Written by hand because this is the per-token hot path. It works on bytes rather than
 * characters: every delimiter is ASCII and UTF-8 never puts an ASCII byte inside a multi-byte
 * character, so a character split across buffers is simply carried over with the rest of its line.
 * Its buffers are reused and grow only for a longer line or event than any before, and the only
 * object it creates per event is the event type's string, and only when the type differs from the
 * previous one.
 *
 * <p>A line or event longer than a limit fails the stream with {@link EventTooLargeException}: a
 * server that never ends a line would otherwise grow the buffers until the client ran out of heap.
 */
public final class SseParser {
  /** The default limit on one line and on one event's data: far above any real chunk. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 16 << 20;

  /** Thrown by {@code feed} when a line or an event's data outgrows the parser's limit. */
  public static final class EventTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EventTooLargeException(int maxBytes) {
      super(
          "a stream line or event exceeds " + maxBytes + " bytes without ending",
          null,
          false,
          false);
    }
  }

  /** Receives each dispatched event. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called once per dispatched event, on the thread that fed the parser. It must not feed or
     * reset the parser that calls it; an exception it throws leaves {@code feed} and discards the
     * rest of that buffer.
     *
     * @param eventType the {@code event} field, or null for the default type ({@code message},
     *     whether named or not)
     * @param data the event's data as UTF-8 bytes, lines joined by LF without a trailing one; only
     *     the first {@code length} are valid, and only during this call
     * @param length how many bytes of {@code data} are the event's; zero for an event whose only
     *     data line was empty
     */
    void onEvent(String eventType, byte[] data, int length);
  }

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte COLON = ':';
  private static final byte SPACE = ' ';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[] DATA = ascii("data");
  private static final byte[] EVENT = ascii("event");
  private static final byte[] MESSAGE = ascii("message");

  private final Listener listener;
  private final int maxEventBytes;

  /** The start of a line whose end is in a later buffer. */
  private byte[] partialLine = new byte[256];

  private int partialLineLength;

  /** The data lines of the event being built, each followed by LF, as the standard's buffer is. */
  private byte[] data = new byte[256];

  private int dataLength;

  /** The event being built's type, or null for {@code message}. */
  private String eventType;

  /**
   * The last type string made, with its bytes, so a stream that names every event's type reuses it.
   */
  private String lastTypeString;

  private byte[] lastTypeBytes = new byte[0];

  private boolean afterCarriageReturn;
  private boolean byteOrderMarkSettled;
  private int byteOrderMarkBytesSeen;

  /** Reused by {@link #feed(Buffer)}, so a Vert.x buffer is read with one bulk copy. */
  private byte[] scratch = new byte[0];

  /** Creates a parser at the start of a stream that hands each event to {@code listener}. */
  public SseParser(Listener listener) {
    this(listener, DEFAULT_MAX_EVENT_BYTES);
  }

  /**
   * Creates a parser whose lines and events may not exceed {@code maxEventBytes}.
   *
   * @throws IllegalArgumentException if {@code maxEventBytes} is not positive
   */
  public SseParser(Listener listener, int maxEventBytes) {
    if (maxEventBytes < 1) {
      throw new IllegalArgumentException("maxEventBytes must be positive: " + maxEventBytes);
    }
    this.listener = Objects.requireNonNull(listener, "listener");
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Parses the next bytes of the stream.
   *
   * @throws EventTooLargeException when a line or event outgrows the limit; the parser is then
   *     unusable until {@link #reset()}
   */
  public void feed(Buffer buffer) {
    int length = buffer.length();
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
    }
    buffer.getBytes(0, length, scratch, 0);
    feed(scratch, 0, length);
  }

  /**
   * Parses the next {@code length} bytes of the stream, found in {@code bytes} from {@code offset}.
   *
   * @throws EventTooLargeException when a line or event outgrows the limit; the parser is then
   *     unusable until {@link #reset()}
   */
  public void feed(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int end = offset + length;
    int at = offset;
    if (!byteOrderMarkSettled) {
      at = skipByteOrderMark(bytes, at, end);
    }
    if (afterCarriageReturn && at < end) {
      afterCarriageReturn = false;
      if (bytes[at] == LF) {
        at++;
      }
    }
    int lineStart = at;
    while (at < end) {
      byte b = bytes[at];
      if (b != LF && b != CR) {
        at++;
        continue;
      }
      if (partialLineLength == 0) {
        // The common case: the whole line is in this buffer and is read where it lies.
        processLine(bytes, lineStart, at);
      } else {
        appendToPartialLine(bytes, lineStart, at);
        int lineLength = partialLineLength;
        partialLineLength = 0;
        processLine(partialLine, 0, lineLength);
      }
      at++;
      if (b == CR) {
        if (at == end) {
          afterCarriageReturn = true;
        } else if (bytes[at] == LF) {
          at++;
        }
      }
      lineStart = at;
    }
    appendToPartialLine(bytes, lineStart, end);
  }

  /** Forgets everything but the listener, as at the start of a new stream. */
  public void reset() {
    partialLineLength = 0;
    dataLength = 0;
    eventType = null;
    afterCarriageReturn = false;
    byteOrderMarkSettled = false;
    byteOrderMarkBytesSeen = 0;
  }

  /**
   * Consumes what may be the stream's leading byte order mark, which may itself be split across
   * buffers; returns where the stream's text starts in {@code bytes}.
   */
  private int skipByteOrderMark(byte[] bytes, int at, int end) {
    while (at < end && byteOrderMarkBytesSeen < BOM.length) {
      if (bytes[at] != BOM[byteOrderMarkBytesSeen]) {
        // Not a mark after all (U+FEC0, say, shares its first two bytes): those bytes are text.
        byteOrderMarkSettled = true;
        appendToPartialLine(BOM, 0, byteOrderMarkBytesSeen);
        return at;
      }
      byteOrderMarkBytesSeen++;
      at++;
    }
    if (byteOrderMarkBytesSeen == BOM.length) {
      byteOrderMarkSettled = true;
    }
    return at;
  }

  private void appendToPartialLine(byte[] bytes, int from, int to) {
    int length = to - from;
    if (length == 0) {
      return;
    }
    checkLimit(partialLineLength + length);
    partialLine = ensureCapacity(partialLine, partialLineLength + length);
    System.arraycopy(bytes, from, partialLine, partialLineLength, length);
    partialLineLength += length;
  }

  /** Interprets one line, {@code line[from, to)}, without its line end. */
  private void processLine(byte[] line, int from, int to) {
    if (from == to) {
      dispatch();
      return;
    }
    if (line[from] == COLON) {
      return;
    }
    int colon = indexOf(line, from, to, COLON);
    int nameEnd = colon < 0 ? to : colon;
    int valueStart = colon < 0 ? to : colon + 1;
    if (valueStart < to && line[valueStart] == SPACE) {
      valueStart++;
    }
    if (equalsAscii(line, from, nameEnd, DATA)) {
      appendData(line, valueStart, to);
    } else if (equalsAscii(line, from, nameEnd, EVENT)) {
      eventType = typeString(line, valueStart, to);
    }
  }

  private void appendData(byte[] line, int from, int to) {
    int length = to - from;
    checkLimit(dataLength + length + 1);
    data = ensureCapacity(data, dataLength + length + 1);
    System.arraycopy(line, from, data, dataLength, length);
    dataLength += length;
    data[dataLength++] = LF;
  }

  private String typeString(byte[] line, int from, int to) {
    int length = to - from;
    if (length == 0 || equalsAscii(line, from, to, MESSAGE)) {
      return null;
    }
    if (Arrays.equals(line, from, to, lastTypeBytes, 0, lastTypeBytes.length)) {
      return lastTypeString;
    }
    lastTypeBytes = Arrays.copyOfRange(line, from, to);
    lastTypeString = new String(lastTypeBytes, StandardCharsets.UTF_8);
    return lastTypeString;
  }

  private void dispatch() {
    String type = eventType;
    eventType = null;
    if (dataLength == 0) {
      return;
    }
    int length = dataLength - 1; // the LF after the last data line is not part of the data
    dataLength = 0;
    listener.onEvent(type, data, length);
  }

  private void checkLimit(int bytes) {
    if (bytes > maxEventBytes) {
      throw new EventTooLargeException(maxEventBytes);
    }
  }

  private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static boolean equalsAscii(byte[] bytes, int from, int to, byte[] name) {
    return Arrays.equals(bytes, from, to, name, 0, name.length);
  }

  private static byte[] ensureCapacity(byte[] buffer, int needed) {
    if (needed <= buffer.length) {
      return buffer;
    }
    // Doubling keeps the copying amortised to a constant per byte.
    return Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
