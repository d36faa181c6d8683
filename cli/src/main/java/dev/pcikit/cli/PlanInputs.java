package dev.pcikit.cli;

import dev.pcikit.core.io.InputFiles;
import dev.pcikit.core.plan.DomainXmlReader;
import dev.pcikit.core.plan.ExistingDomain;
import dev.pcikit.core.plan.HostTopology;
import dev.pcikit.core.plan.InventoryHostFacts;
import java.nio.file.Path;

/** Reads the plan commands' inputs: bounded files, the domain XML, the host facts. */
final class PlanInputs {
  private PlanInputs() {}

  /** Reads at most {@code max} bytes of a regular file as UTF-8; larger files are refused. */
  static String readBounded(Path file, int max, String what) {
    return InputFiles.readUtf8(file, max, what);
  }

  static ExistingDomain domain(Path file) {
    return DomainXmlReader.parse(readBounded(file, DomainXmlReader.MAX_CHARS, "domain XML"));
  }

  /** Host facts from the inventory of the host the global options name. */
  static HostTopology host(GlobalOptions global) {
    var inv = HostAccess.inventory(global, dev.pcikit.core.inventory.InventoryReader.Detail.FULL);
    return InventoryHostFacts.of(inv, global.sysfs());
  }
}
