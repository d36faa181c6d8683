package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.plan.DomainXmlReader;
import dev.pcikit.core.plan.ExistingDomain;
import dev.pcikit.core.plan.HostTopology;
import dev.pcikit.core.plan.InventoryHostFacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the plan commands' inputs: bounded files, the domain XML, the host facts. */
final class PlanInputs {
  private PlanInputs() {}

  /** Reads at most {@code max} characters' worth of bytes; larger files are refused. */
  static String readBounded(Path file, int max, String what) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new PcikitException(
            Failure.BAD_INPUT, what + " " + file + " is larger than " + max / 1024 + " KiB");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new PcikitException(Failure.NOT_FOUND, what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new PcikitException(
          Failure.BAD_INPUT, "cannot read " + what + " " + file + ": " + e.getMessage());
    }
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
