package dev.pcikit.cli.fuzz;

/** Jazzer entry point for {@link dev.pcikit.cli.Fuzz#selectors} (scripts/fuzz.sh). */
public final class FuzzSelectors {
  private FuzzSelectors() {}

  public static void fuzzerTestOneInput(byte[] data) {
    dev.pcikit.cli.Fuzz.selectors(data);
  }
}
