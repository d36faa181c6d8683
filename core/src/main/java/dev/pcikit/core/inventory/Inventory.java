package dev.pcikit.core.inventory;

import dev.pcikit.core.model.PciAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a host has: every PCI function, the IOMMU groups, and what could not be read. */
public record Inventory(
    List<PciDevice> devices, Map<Integer, IommuGroup> groups, List<Problem> problems) {

  public Inventory {
    devices = List.copyOf(devices);
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    problems = List.copyOf(problems);
  }

  public Optional<PciDevice> device(PciAddress address) {
    for (PciDevice d : devices) {
      if (d.address().equals(address)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  public Optional<IommuGroup> groupOf(PciDevice d) {
    return d.iommuGroup().map(groups::get);
  }

  /** Every problem: the host's and each device's. */
  public List<Problem> allProblems() {
    java.util.ArrayList<Problem> all = new java.util.ArrayList<>(problems);
    for (PciDevice d : devices) {
      all.addAll(d.problems());
    }
    return all;
  }

  /** True when something could not be read (warnings or errors; notes don't count). */
  public boolean incomplete() {
    return allProblems().stream().anyMatch(p -> p.severity() != Problem.Severity.NOTE);
  }
}
