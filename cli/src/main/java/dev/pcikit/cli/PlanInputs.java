package dev.pcikit.cli;

import dev.pcikit.core.io.InputFiles;
import dev.pcikit.core.plan.DomainXmlReader;
import dev.pcikit.core.plan.ExistingDomain;
import dev.pcikit.core.plan.GuestSpec;
import dev.pcikit.core.plan.HostTopology;
import dev.pcikit.core.plan.InventoryHostFacts;
import dev.pcikit.formats.GuestSpecReader;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the plan commands' inputs: bounded files, the domain XML, the host facts. */
final class PlanInputs {
  private PlanInputs() {}

  /** Reads at most {@code max} bytes of a regular file as UTF-8; larger files are refused. */
  static String readBounded(Path file, int max, String what) {
    return InputFiles.readUtf8(file, max, what);
  }

  /** The guest spec file (YAML or JSON). */
  static GuestSpec guest(Path file) {
    return GuestSpecReader.parse(
        readBounded(file, GuestSpecReader.MAX_BYTES, "guest spec"), file.toString());
  }

  /** The existing libvirt domain of {@code --domain FILE}, when given. */
  static Optional<ExistingDomain> existing(Path file) {
    return Optional.ofNullable(file).map(PlanInputs::domain);
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
