package dev.pcikit.core.vfio;

import java.util.Locale;

/** What a binding transaction does: move devices to VFIO drivers, or back. */
public enum Operation {
  /** Devices to a VFIO driver. */
  BIND,
  /** Devices from their VFIO driver back to the driver they had (or the kernel's choice). */
  RELEASE;

  /** The word for it: "bind", "release" (also its journal encoding). */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Operation ofWord(String w) {
    return valueOf(w.toUpperCase(Locale.ROOT));
  }
}
