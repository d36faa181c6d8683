package dev.pcikit.core.inventory;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.DeviceSelector;
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

  /**
   * The functions lspci's selectors pick: those matching {@code -s} and {@code -d}, each where
   * given.
   *
   * @param slot an lspci {@code -s} selector ({@link DeviceSelector#slot}), or null for any slot
   * @param ids an lspci {@code -d} selector ({@link DeviceSelector#ids}), or null for any IDs
   * @return the functions both select, sorted by address
   */
  public List<PciDevice> select(String slot, String ids) {
    List<DeviceSelector> sel = new java.util.ArrayList<>();
    if (slot != null) {
      sel.add(DeviceSelector.slot(slot));
    }
    if (ids != null) {
      sel.add(DeviceSelector.ids(ids));
    }
    return devices.stream().filter(d -> sel.stream().allMatch(d::matches)).toList();
  }

  /**
   * The functions lspci {@code -s} selectors pick, each of which must pick one at least.
   *
   * @param slots lspci {@code -s} selectors; none selects every function
   * @return the functions picked, in the order of the selectors, each once
   * @throws PcikitException {@link Failure#NOT_FOUND} when a selector picks no function
   */
  public List<PciDevice> selectEach(List<String> slots) {
    if (slots.isEmpty()) {
      return devices;
    }
    java.util.Set<PciDevice> out = new java.util.LinkedHashSet<>();
    for (String slot : slots) {
      List<PciDevice> m = select(slot, null);
      if (m.isEmpty()) {
        throw new PcikitException(Failure.NOT_FOUND, "no PCI device " + slot);
      }
      out.addAll(m);
    }
    return List.copyOf(out);
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
