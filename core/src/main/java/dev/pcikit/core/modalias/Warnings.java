package dev.pcikit.core.modalias;

import java.util.ArrayList;
import java.util.List;

/**
 * Problems met while reading module and configuration files. Kept bounded: a corrupt file with a
 * million bad lines yields the first {@value #MAX} messages and a count of the rest.
 */
final class Warnings {

  static final int MAX = 50;

  private final List<String> messages = new ArrayList<>();
  private int dropped;

  void add(String message) {
    if (messages.size() < MAX) {
      messages.add(message);
    } else {
      dropped++;
    }
  }

  List<String> list() {
    List<String> out = new ArrayList<>(messages);
    if (dropped > 0) {
      out.add("... and " + dropped + " more problems");
    }
    return List.copyOf(out);
  }
}
