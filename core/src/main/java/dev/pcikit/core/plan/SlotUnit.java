package dev.pcikit.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Functions that go into one guest slot together: the functions of one host multifunction device
 * (renumbered 0..n-1 in host order), or a single function.
 */
record SlotUnit(List<Selected> functions) {
  SlotUnit {
    functions = List.copyOf(functions);
  }

  Selected first() {
    return functions.get(0);
  }

  boolean anyConventional() {
    return functions.stream().anyMatch(s -> !s.host().pcie());
  }

  /** Groups selected functions into slot units, keeping host slots together when asked. */
  static List<SlotUnit> of(List<Selected> selected, boolean keepMultifunction) {
    List<SlotUnit> units = new ArrayList<>();
    if (!keepMultifunction) {
      for (Selected s : selected) {
        units.add(new SlotUnit(List.of(s)));
      }
      return units;
    }
    // SR-IOV VFs share their PF's slot number but are separate devices: never kept together;
    // nor are functions whose header does not say multifunction
    Map<dev.pcikit.core.model.PciAddress, List<Selected>> bySlot = new TreeMap<>();
    for (Selected s : selected) {
      HostFunction h = s.host();
      if (h.multifunction() && h.physfn().isEmpty()) {
        bySlot.computeIfAbsent(h.slot(), k -> new ArrayList<>()).add(s);
      } else {
        bySlot.put(h.address(), new ArrayList<>(List.of(s)));
      }
    }
    for (List<Selected> fns : bySlot.values()) {
      units.add(new SlotUnit(fns));
    }
    return units;
  }
}
