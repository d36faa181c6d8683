package dev.pcikit.cli.fuzz;

/** Jazzer entry point for {@link dev.pcikit.cli.Fuzz#snapshot} (scripts/fuzz.sh). */
public final class FuzzSnapshot {
  private FuzzSnapshot() {}

  public static void fuzzerTestOneInput(byte[] data) {
    dev.pcikit.cli.Fuzz.snapshot(data);
  }
}
