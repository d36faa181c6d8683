package dev.pcikit.cli;

import dev.pcikit.core.text.SafeText;
import java.io.IOException;
import java.io.Writer;

/**
 * Everything pcikit prints goes through this writer, so no renderer (table, tree, show, check,
 * drivers, errors, dry-run lines) can pass a control character from sysfs or a snapshot raw to the
 * terminal: each becomes {@code \xNN} ({@link SafeText#terminal}). pcikit itself prints no control
 * characters but newline and tab (it uses no colour); structured output is unaffected (JSON and
 * YAML escape control characters themselves, snapshots record such content as base64, SVG replaces
 * what XML 1.0 does not allow).
 */
final class TerminalSafeWriter extends Writer {
  private final Writer out;

  TerminalSafeWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      char c = buf[i];
      // every unsafe code point is in the BMP and no surrogate is unsafe: char by char suffices
      if (SafeText.unsafeForTerminal(c)) {
        out.write(buf, start, i - start);
        out.write(SafeText.escaped(c));
        start = i + 1;
      }
    }
    out.write(buf, start, end - start);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
