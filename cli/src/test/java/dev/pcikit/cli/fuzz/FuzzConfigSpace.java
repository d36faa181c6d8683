package dev.pcikit.cli.fuzz;

/** Jazzer entry point for {@link dev.pcikit.cli.Fuzz#configSpace} (scripts/fuzz.sh). */
public final class FuzzConfigSpace {
  private FuzzConfigSpace() {}

  public static void fuzzerTestOneInput(byte[] data) {
    dev.pcikit.cli.Fuzz.configSpace(data);
  }
}
