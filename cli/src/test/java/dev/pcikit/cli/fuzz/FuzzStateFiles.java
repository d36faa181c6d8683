package dev.pcikit.cli.fuzz;

/** Jazzer entry point for {@link dev.pcikit.cli.Fuzz#stateFiles} (scripts/fuzz.sh). */
public final class FuzzStateFiles {
  private FuzzStateFiles() {}

  public static void fuzzerTestOneInput(byte[] data) {
    dev.pcikit.cli.Fuzz.stateFiles(data);
  }
}
