package dev.pcikit.core.plan;

import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The host functions the planner may place, indexed by address and by IOMMU group. */
public final class HostTopology {
  private final Map<PciAddress, HostFunction> byAddress = new TreeMap<>();
  private final Map<Integer, List<HostFunction>> byGroup = new TreeMap<>();

  public HostTopology(Collection<HostFunction> functions) {
    for (HostFunction f : functions) {
      if (byAddress.put(f.address(), f) != null) {
        throw new IllegalArgumentException("duplicate host function " + f.address());
      }
    }
    for (HostFunction f : byAddress.values()) {
      if (f.iommuGroup() != HostFunction.NO_GROUP) {
        byGroup.computeIfAbsent(f.iommuGroup(), g -> new ArrayList<>()).add(f);
      }
    }
  }

  public Optional<HostFunction> find(PciAddress address) {
    return Optional.ofNullable(byAddress.get(address));
  }

  /** Every function of the group, sorted by address; empty for {@link HostFunction#NO_GROUP}. */
  public List<HostFunction> group(int group) {
    return List.copyOf(byGroup.getOrDefault(group, List.of()));
  }

  public Collection<HostFunction> all() {
    return List.copyOf(byAddress.values());
  }
}
