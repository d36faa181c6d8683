package dev.pcikit.http.unix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 framing (RFC 9112): lines, Content-Length bodies, chunked bodies. */
final class Wire {
  private Wire() {}

  /**
   * One CRLF- (or LF-) terminated line without its terminator, at most {@code max} bytes; the end
   * of the stream before any byte is an IOException ("connection closed").
   */
  static String line(InputStream in, int max) throws IOException {
    String s = lineOrEnd(in, max);
    if (s == null) {
      throw new IOException("connection closed");
    }
    return s;
  }

  /** As {@link #line}, but null at the end of the stream. */
  static String lineOrEnd(InputStream in, int max) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    for (int c = in.read(); ; c = in.read()) {
      if (c < 0) {
        if (b.size() == 0) {
          return null;
        }
        break;
      }
      if (c == '\n') {
        break;
      }
      b.write(c);
      if (b.size() > max) {
        throw new LineTooLong(max);
      }
    }
    String s = b.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** A line over its bound. */
  static final class LineTooLong extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLong(int max) {
      super("line longer than " + max + " bytes");
    }
  }

  /** An input stream whose single-byte read is its block read of one byte. */
  abstract static class BlockInput extends InputStream {
    @Override
    public final int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }

  /** A Content-Length body: ends after its length, never reads past it. */
  static final class Limited extends BlockInput {
    private final InputStream in;
    private long left;

    Limited(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("connection closed " + left + " bytes before the body's end");
      }
      left -= n;
      return n;
    }
  }

  /** A chunked body (RFC 9112 section 7.1): size line, data, CRLF; a zero size ends it. */
  static final class Chunked extends BlockInput {
    private final InputStream in;
    private long left;
    private boolean done;
    private boolean crlfDue;

    Chunked(InputStream in) {
      this.in = in;
    }

    private boolean next() throws IOException {
      if (done) {
        return false;
      }
      if (left == 0) {
        if (crlfDue) {
          line(in, 1024); // the CRLF that ends the previous chunk's data
          crlfDue = false;
        }
        String size = line(in, 1024);
        int semi = size.indexOf(';');
        size = (semi < 0 ? size : size.substring(0, semi)).strip();
        if (size.isEmpty() || size.length() > 8) {
          throw new IOException("bad chunk size");
        }
        try {
          left = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size");
        }
        if (left == 0) {
          // trailers, if any, are left unread: the connection closes with the answer
          done = true;
          return false;
        }
      }
      return true;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!next()) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("connection closed inside a chunk");
      }
      left -= n;
      // The CRLF after the data is read with the next size line, not now: Jetty sends it together
      // with the next chunk, so waiting for it here would hold a streamed event until the next one.
      crlfDue = left == 0;
      return n;
    }
  }
}
