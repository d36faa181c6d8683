package dev.pcikit.core.inventory;

import dev.pcikit.core.model.PciAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a host has: every PCI function, the IOMMU groups, and what could not be read. */
public final class Inventory {
  private final List<PciDevice> devices;
  private final Map<Integer, IommuGroup> groups;
  private final List<Problem> problems;
  private final Map<PciAddress, PciDevice> byAddress = new java.util.HashMap<>();

  public Inventory(
      List<PciDevice> devices, Map<Integer, IommuGroup> groups, List<Problem> problems) {
    this.devices = List.copyOf(devices);
    this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    this.problems = List.copyOf(problems);
    this.devices.forEach(d -> byAddress.put(d.address(), d));
  }

  /** Every PCI function, sorted by address. */
  public List<PciDevice> devices() {
    return devices;
  }

  /** IOMMU groups by number. */
  public Map<Integer, IommuGroup> groups() {
    return groups;
  }

  /** Host-level problems (a device's own are on the device). */
  public List<Problem> problems() {
    return problems;
  }

  public Optional<PciDevice> device(PciAddress address) {
    return Optional.ofNullable(byAddress.get(address));
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
