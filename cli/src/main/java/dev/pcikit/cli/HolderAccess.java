package dev.pcikit.cli;

import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.host.Host;
import dev.pcikit.core.host.SystemHost;
import dev.pcikit.sim.SimHostUsage;
import dev.pcikit.sim.SimulatedHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who holds the VFIO groups of the host the global options name: {@code ROOT/proc} and libvirt's
 * domain XML under the root; on a recorded or demo host, the simulated kernel's VMs (no pid).
 */
final class HolderAccess {
  private HolderAccess() {}

  static Holders holders(GlobalOptions global) {
    return holders(global.host());
  }

  static Holders holders(Host host) {
    if (host instanceof SimulatedHost sim) {
      Map<Integer, List<GroupHolder>> groups = new TreeMap<>();
      SimHostUsage.openVfioGroups(sim.kernel())
          .forEach(
              (g, who) -> {
                List<GroupHolder> l = new ArrayList<>();
                who.forEach(w -> l.add(new GroupHolder(0, w, "", Optional.empty())));
                groups.put(g, l);
              });
      return new Holders(groups, List.of(), List.of());
    }
    if (host instanceof SystemHost sys) {
      return Holders.read(sys.root().root());
    }
    return Holders.NONE;
  }
}
