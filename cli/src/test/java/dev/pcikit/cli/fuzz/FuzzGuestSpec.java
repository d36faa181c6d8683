package dev.pcikit.cli.fuzz;

/** Jazzer entry point for {@link dev.pcikit.cli.Fuzz#guestSpec} (scripts/fuzz.sh). */
public final class FuzzGuestSpec {
  private FuzzGuestSpec() {}

  public static void fuzzerTestOneInput(byte[] data) {
    dev.pcikit.cli.Fuzz.guestSpec(data);
  }
}
