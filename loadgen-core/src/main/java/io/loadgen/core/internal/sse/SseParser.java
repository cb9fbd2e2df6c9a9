package io.loadgen.core.internal.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental parser of the {@code text/event-stream} format as the WHATWG HTML standard
 * ("Server-sent events", interpreting an event stream) defines it, fed network buffers split at any
 * byte.
 *
 * <p>Written by hand because no maintained Java library parses SSE from pushed byte buffers without
 * owning the connection, and this is the per-token hot path: it works on bytes (every delimiter is
 * ASCII, and UTF-8 never puts an ASCII byte inside a multi-byte character, so a character split
 * across buffers is simply carried over), reuses its buffers, and creates no object per event but
 * the event type, when a stream names one.
 *
 * <p>Rules followed: lines end in CRLF, LF or CR (a CR at the end of one buffer and an LF at the
 * start of the next are one line end); a leading UTF-8 byte order mark is skipped; {@code :} starts a
 * comment; a field's value loses one leading space; a line without a colon is a field with an empty
 * value; {@code data} lines are joined with LF; a blank line dispatches the event unless its data is
 * empty; {@code id} and {@code retry} are read and ignored (loadgen never reconnects); an event left
 * incomplete at the end of the stream is discarded.
 */
public final class SseParser {
  /** Receives each dispatched event. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param eventType the {@code event} field, or null for the default type ("message")
     * @param data the event's data as UTF-8 bytes; only the first {@code length} are valid, and only
     *     during this call
     */
    void onEvent(String eventType, byte[] data, int length);
  }

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final Listener listener;
  private byte[] line = new byte[256];
  private int lineLength;
  private byte[] data = new byte[256];
  private int dataLength;
  private String eventType;
  private boolean afterCarriageReturn;
  private int bomMatched;
  private boolean bomDecided;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  /** Parses the bytes of {@code buffer}. */
  public void feed(Buffer buffer) {
    int length = buffer.length();
    for (int i = 0; i < length; i++) {
      accept(buffer.getByte(i));
    }
  }

  /** Parses {@code length} bytes of {@code bytes} from {@code offset}. */
  public void feed(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      accept(bytes[i]);
    }
  }

  /** Forgets everything, as at the start of a new stream. */
  public void reset() {
    lineLength = 0;
    dataLength = 0;
    eventType = null;
    afterCarriageReturn = false;
    bomMatched = 0;
    bomDecided = false;
  }

  private void accept(byte b) {
    if (!bomDecided) {
      if (b == BOM[bomMatched]) {
        if (++bomMatched == BOM.length) {
          bomDecided = true;
        }
        return;
      }
      bomDecided = true;
      for (int i = 0; i < bomMatched; i++) {
        appendToLine(BOM[i]);
      }
    }
    if (afterCarriageReturn) {
      afterCarriageReturn = false;
      if (b == LF) {
        return;
      }
    }
    if (b == LF) {
      endLine();
    } else if (b == CR) {
      endLine();
      afterCarriageReturn = true;
    } else {
      appendToLine(b);
    }
  }

  private void appendToLine(byte b) {
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }

  private void endLine() {
    int length = lineLength;
    lineLength = 0;
    if (length == 0) {
      dispatch();
      return;
    }
    if (line[0] == ':') {
      return;
    }
    int colon = indexOfColon(length);
    int nameLength = colon < 0 ? length : colon;
    int valueStart = colon < 0 ? length : colon + 1;
    if (valueStart < length && line[valueStart] == ' ') {
      valueStart++;
    }
    if (nameIs("data", nameLength)) {
      appendData(valueStart, length);
    } else if (nameIs("event", nameLength)) {
      eventType = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
    }
    // "id" and "retry" only matter for reconnection, which loadgen never does; other names are ignored.
  }

  private int indexOfColon(int length) {
    for (int i = 0; i < length; i++) {
      if (line[i] == ':') {
        return i;
      }
    }
    return -1;
  }

  private boolean nameIs(String name, int nameLength) {
    if (nameLength != name.length()) {
      return false;
    }
    for (int i = 0; i < nameLength; i++) {
      if (line[i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void appendData(int from, int to) {
    int needed = dataLength + (to - from) + 1;
    if (needed > data.length) {
      data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
    }
    System.arraycopy(line, from, data, dataLength, to - from);
    dataLength += to - from;
    data[dataLength++] = LF;
  }

  private void dispatch() {
    if (dataLength == 0) {
      eventType = null;
      return;
    }
    String type = eventType == null || eventType.isEmpty() ? null : eventType;
    int length = dataLength - 1; // the LF after the last data line is not part of the data
    dataLength = 0;
    eventType = null;
    listener.onEvent(type, data, length);
  }
}
