package dev.pcikit.cli;

import picocli.CommandLine;

/** Version from the jar manifest, or "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"pcikit " + (v == null ? "0.1.0-SNAPSHOT" : v)};
  }
}
