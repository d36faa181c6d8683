package dev.pcikit.cli.fuzz;

/** Jazzer entry point for {@link dev.pcikit.cli.Fuzz#domainXml} (scripts/fuzz.sh). */
public final class FuzzDomainXml {
  private FuzzDomainXml() {}

  public static void fuzzerTestOneInput(byte[] data) {
    dev.pcikit.cli.Fuzz.domainXml(data);
  }
}
