package dev.pcikit.core.modalias;

import dev.pcikit.core.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads a text file line by line without trusting it: a line longer than {@link #MAX_LINE} bytes is
 * reported and skipped (never held in memory whole), and so is a line with bytes outside 7-bit
 * ASCII (depmod refuses such aliases, kmod's index cannot hold them).
 */
final class BoundedLines {

  /** Longer than any alias kmod can handle (PATH_MAX) plus its module name. */
  static final int MAX_LINE = 8192;

  interface Sink {
    void line(int number, String text);
  }

  private BoundedLines() {}

  /**
   * Calls {@code sink} for each acceptable line (without its newline); reports the others to {@code
   * warnings} as "FILE:LINE: ...".
   */
  static void read(Path file, Sink sink, Warnings warnings) throws IOException {
    read(file, true, sink, warnings);
  }

  /**
   * As {@link #read(Path, Sink, Warnings)}; with {@code asciiOnly} false, bytes above 0x7f pass
   * (modprobe.d files may hold UTF-8 comments; kmod compares bytes, the text is decoded
   * byte-for-byte as ISO-8859-1).
   */
  static void read(Path file, boolean asciiOnly, Sink sink, Warnings warnings) throws IOException {
    try (InputStream in = open(file)) {
      byte[] chunk = new byte[1 << 16];
      byte[] buf = new byte[MAX_LINE];
      int len = 0;
      boolean tooLong = false;
      boolean nonAscii = false;
      boolean pending = false;
      int number = 1;
      int n;
      while ((n = in.read(chunk)) > 0) {
        for (int k = 0; k < n; k++) {
          byte b = chunk[k];
          if (b == '\n') {
            finish(file, number, buf, len, tooLong, nonAscii, sink, warnings);
            number++;
            len = 0;
            tooLong = false;
            nonAscii = false;
            pending = false;
            continue;
          }
          pending = true;
          if (b == 0 || (b < 0 && asciiOnly)) {
            nonAscii = true;
          }
          if (len < MAX_LINE) {
            buf[len++] = b;
          } else {
            tooLong = true;
          }
        }
      }
      if (pending) {
        finish(file, number, buf, len, tooLong, nonAscii, sink, warnings);
      }
    }
  }

  /** Only a regular file is opened (a FIFO would block for good); other kinds are an I/O error. */
  private static InputStream open(Path file) throws IOException {
    try {
      return InputFiles.open(file, "file");
    } catch (dev.pcikit.core.error.PcikitException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static void finish(
      Path file,
      int number,
      byte[] buf,
      int len,
      boolean tooLong,
      boolean nonAscii,
      Sink sink,
      Warnings warnings) {
    if (tooLong) {
      warnings.add(file + ":" + number + ": line longer than " + MAX_LINE + " bytes; ignored");
      return;
    }
    if (nonAscii) {
      warnings.add(file + ":" + number + ": NUL or bytes outside 7-bit ASCII; line ignored");
      return;
    }
    sink.line(number, new String(buf, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
