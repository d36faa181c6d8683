package dev.pcikit.core.export;

import java.util.List;

/**
 * A rendered export: the document as the scheduler reads it, what was left out (with why), and
 * notes an operator should read before feeding the document in.
 */
public record Export(String text, List<LeftOut> leftOut, List<String> notes) {
  public Export {
    leftOut = List.copyOf(leftOut);
    notes = List.copyOf(notes);
  }
}
