package dev.pcikit.core.draw;

import dev.pcikit.core.testhosts.Hosts;
import dev.pcikit.core.testhosts.SyntheticHost;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pictures under test: each synthetic host, drawn as the CLI would draw it. */
final class Pictures {
  private Pictures() {}

  static final Path GOLDEN = Path.of("src/test/resources/golden/draw");

  static boolean regenerate() {
    return Boolean.getBoolean("pcikit.regenerate");
  }

  static HostPicture picture(String title, SyntheticHost h, boolean expand) {
    return new HostPicture(title, h.inventory(), Hosts::name, expand);
  }

  /** name → picture, for every golden file. */
  static Map<String, HostPicture> all() {
    Map<String, HostPicture> m = new LinkedHashMap<>();
    m.put(
        "x86-workstation",
        picture("PCI topology of x86-workstation", Hosts.x86Workstation(), false));
    m.put("power9", picture("PCI topology of power9", Hosts.power9(), false));
    m.put(
        "nic-farm-4x128",
        picture("PCI topology of nic-farm (4 PF × 128 VF)", Hosts.nicFarm(4, 128), false));
    return m;
  }

  /** Every picture's layout, host pictures and the plan picture. */
  static Map<String, Layout> layouts() {
    Map<String, Layout> m = new LinkedHashMap<>();
    all().forEach((k, v) -> m.put(k, v.layout()));
    m.put("plan-pseries", plannedPseries().layout());
    return m;
  }

  /**
   * What `pcikit draw plan` draws for a pseries guest of the power9 host: the planner's own result
   * (one PHB per PE, spares, EEH and extended-config marks).
   */
  static PlanPicture plannedPseries() {
    SyntheticHost h = Hosts.power9();
    dev.pcikit.core.inventory.Inventory inv = h.inventory();
    dev.pcikit.core.plan.GuestSpec spec =
        new dev.pcikit.core.plan.GuestSpec(
            "db1",
            dev.pcikit.core.plan.MachineType.PSERIES,
            java.util.List.of(
                dev.pcikit.core.plan.DeviceRequest.of("0030:01:00.0"),
                dev.pcikit.core.plan.DeviceRequest.of("0031:01:00.0"),
                dev.pcikit.core.plan.DeviceRequest.of("0001:01:00.0"),
                dev.pcikit.core.plan.DeviceRequest.of("0000:01:00.0")),
            1,
            java.util.OptionalInt.of(1),
            dev.pcikit.core.plan.Policies.defaults());
    dev.pcikit.core.plan.Plan plan =
        dev.pcikit.core.plan.Planner.plan(
            spec,
            dev.pcikit.core.plan.InventoryHostFacts.of(inv, h.fs),
            java.util.Optional.empty());
    PlanView view =
        PlanViews.of(
            plan,
            a -> {
              var d = inv.device(a).orElseThrow();
              return new PlanViews.HostInfo(Hosts.name(d), d.driver());
            });
    return new PlanPicture("Plan db1 (pseries) on power9", view);
  }

  /** A pseries plan: two PHBs with devices, a spare PHB, and one PHB whose EEH cannot work. */
  static PlanView pseriesPlan() {
    PlanView.Host nvme =
        new PlanView.Host(
            "0030:01:00.0", "NVIDIA GV100GL [Tesla V100 SXM2 16GB]", "vfio-pci", 2, 8);
    PlanView.Host cx5 =
        new PlanView.Host(
            "0031:01:00.0", "Mellanox MT27800 Family [ConnectX-5]", "mlx5_core", 3, 8);
    PlanView.Host bnx0 =
        new PlanView.Host(
            "0001:01:00.0", "Broadcom NetXtreme II BCM57800 1/10 Gigabit", "bnx2x", 1, 0);
    PlanView.Host bnx1 =
        new PlanView.Host(
            "0001:01:00.1", "Broadcom NetXtreme II BCM57800 1/10 Gigabit", "bnx2x", 1, 0);
    return new PlanView(
        "db1",
        "pseries",
        java.util.List.of(
            new PlanView.Controller(
                "PHB 1 (pci.1, domain 0001) · NUMA 8",
                java.util.List.of("EEH: isolated (group 2)", "extended config on"),
                false,
                false,
                java.util.List.of(
                    new PlanView.Device(
                        "01:01.0", "hostdev0", java.util.List.of("ECS reachable"), nvme))),
            new PlanView.Controller(
                "PHB 2 (pci.2, domain 0002) · NUMA 8",
                java.util.List.of("EEH: isolated (group 3)", "extended config on"),
                false,
                false,
                java.util.List.of(
                    new PlanView.Device(
                        "02:01.0", "hostdev1", java.util.List.of("ECS reachable"), cx5))),
            new PlanView.Controller(
                "PHB 3 (pci.3, domain 0003) · NUMA 0",
                java.util.List.of("EEH: isolated (group 1)", "extended config off"),
                false,
                true,
                java.util.List.of(
                    new PlanView.Device(
                        "03:01.0", "hostdev2", java.util.List.of("no ECS (PHB has it off)"), bnx0),
                    new PlanView.Device(
                        "03:01.1",
                        "hostdev3",
                        java.util.List.of("no ECS", "added for group 1"),
                        bnx1))),
            new PlanView.Controller(
                "PHB 4 (pci.4, domain 0004)",
                java.util.List.of("spare for hotplug"),
                true,
                false,
                java.util.List.of())));
  }
}
