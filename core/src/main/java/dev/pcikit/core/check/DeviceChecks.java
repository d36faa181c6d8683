package dev.pcikit.core.check;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.IommuGroup;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.reset.ResetReadiness;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Per-device assignability: every reason a device can or cannot be handed to a guest with VFIO.
 * Reads only the inventory, plus a {@link HostUseCheck} for what the running host uses.
 */
final class DeviceChecks {
  private final Inventory inv;
  private final HostUseCheck uses;

  public DeviceChecks(Inventory inv, HostUseCheck uses) {
    this.inv = inv;
    this.uses = uses;
  }

  public DeviceReport check(PciDevice d) {
    String s = d.address().toString();
    List<Finding> out = new ArrayList<>();
    if (d.notResponding()) {
      out.add(
          Finding.blocking(
              "not-responding",
              s,
              "not responding: config space reads all ones (removed, powered off, or frozen by"
                  + " EEH)",
              "recover the device (EEH recovery on POWER, 'echo 1 > remove' and a rescan"
                  + " elsewhere) or reseat it"));
    }
    if (d.isBridge()) {
      out.add(
          Finding.blocking(
              "bridge",
              s,
              "is a PCI bridge: it carries other devices' traffic and cannot be passed through",
              "assign the endpoints below it instead"));
    } else if (d.classCode() >= 0 && (d.classCode() >> 16) == 0x06) {
      out.add(
          Finding.blocking(
              "bridge",
              s,
              String.format(
                  Locale.ROOT,
                  "is a host/ISA-class bridge (class 0x%06x): part of the platform",
                  d.classCode()),
              ""));
    }
    Optional<IommuGroup> group = inv.groupOf(d);
    List<PciAddress> peers = new ArrayList<>();
    if (group.isEmpty()) {
      out.add(
          Finding.blocking(
              "no-iommu-group",
              s,
              "is in no IOMMU group: VFIO cannot isolate it",
              "turn the IOMMU on (see the host findings)"));
    }
    if (d.bootVga().orElse(false)) {
      out.add(
          Finding.blocking(
              "boot-vga",
              s,
              "is the boot VGA device (boot_vga = 1): the console and display manager run on it",
              "use another GPU for the host console, or run the host headless"));
    }
    out.addAll(uses.uses(d));
    group.ifPresent(g -> out.addAll(groupFindings(d, g, peers)));
    sriovFindings(d, out);
    out.addAll(reset(d));
    extendedConfig(d).ifPresent(out::add);
    out.add(driver(d));
    return new DeviceReport(d.address(), out, d.iommuGroup().orElse(null), peers);
  }

  private List<Finding> groupFindings(PciDevice d, IommuGroup g, List<PciAddress> peers) {
    String s = d.address().toString();
    List<String> named = new ArrayList<>();
    List<String> critical = new ArrayList<>();
    int bridges = 0;
    for (PciAddress a : g.members()) {
      if (a.equals(d.address())) {
        continue;
      }
      Optional<PciDevice> p = inv.device(a);
      if (p.isPresent() && p.get().isBridge()) {
        bridges++; // bridges stay on pcieport: vfio_dev_viable accepts them
        continue;
      }
      peers.add(a);
      String driver = p.flatMap(PciDevice::driver).map(x -> "driver " + x).orElse("no driver");
      named.add(a + " (" + driver + ")");
      p.ifPresent(
          pd -> {
            List<String> why = new ArrayList<>();
            if (pd.bootVga().orElse(false)) {
              why.add("boot VGA");
            }
            for (Finding f : uses.uses(pd)) {
              if (f.blocking()) {
                why.add(f.message());
              }
            }
            if (!why.isEmpty()) {
              critical.add(a + ": " + String.join("; ", why));
            }
          });
    }
    List<Finding> out = new ArrayList<>();
    String bridgeNote =
        bridges == 0 ? "" : " (" + bridges + " bridge(s) in the group stay with the host)";
    if (named.isEmpty()) {
      out.add(Finding.ok("group", s, "alone in IOMMU group " + g.id() + bridgeNote));
    } else if (!critical.isEmpty()) {
      out.add(
          Finding.blocking(
              "group-shared",
              s,
              "IOMMU group "
                  + g.id()
                  + " is shared with devices the host needs: "
                  + String.join("; ", critical),
              "move the device to a slot behind an ACS-capable port, or free the host of "
                  + "those devices first"));
    } else {
      out.add(
          Finding.warning(
                  "group-shared",
                  s,
                  "IOMMU group "
                      + g.id()
                      + " is shared: "
                      + String.join(", ", named)
                      + " would have to go to vfio-pci (or no driver) too"
                      + bridgeNote,
                  "bind the whole group")
              .with(FixAction.bindGroup(d.address())));
    }
    return out;
  }

  private void sriovFindings(PciDevice d, List<Finding> out) {
    String s = d.address().toString();
    int enabled = Math.max(d.virtfns().size(), d.sriov().map(x -> x.numVfs()).orElse(0));
    if (enabled > 0) {
      List<String> inUse = new ArrayList<>();
      for (PciAddress vf : d.virtfns()) {
        inv.device(vf)
            .flatMap(PciDevice::driver)
            .ifPresent(drv -> inUse.add(vf + " (" + drv + ")"));
      }
      if (!inUse.isEmpty()) {
        out.add(
            Finding.blocking(
                "pf-vfs-in-use",
                s,
                "is an SR-IOV PF whose VFs are in use: "
                    + abbreviate(inUse, 4)
                    + " ("
                    + inUse.size()
                    + " of "
                    + enabled
                    + ")",
                "assign the VFs instead, or release them and set sriov_numvfs to 0"));
      } else {
        out.add(
            Finding.blocking(
                "sriov-enabled",
                s,
                "has "
                    + enabled
                    + " VFs enabled: vfio-pci refuses a PF with SR-IOV enabled (\"Cannot bind"
                    + " to PF with SR-IOV enabled\")",
                "assign the VFs instead, or set sriov_numvfs to 0 first"));
      }
    }
    if (d.physfn().isPresent() && inv.device(d.physfn().get()).isEmpty()) {
      out.add(
          Finding.warning(
              "detached-vf",
              s,
              "is a VF whose PF "
                  + d.physfn().get()
                  + " is not visible: its state (VF count, PF driver) cannot be checked",
              "make sure whoever owns the PF keeps SR-IOV enabled while the guest runs"));
    }
  }

  private static String abbreviate(List<String> items, int max) {
    if (items.size() <= max) {
      return String.join(", ", items);
    }
    return String.join(", ", items.subList(0, max)) + ", …";
  }

  private List<Finding> reset(PciDevice d) {
    String s = d.address().toString();
    ResetReadiness r = ResetReadiness.of(inv, d);
    List<Finding> out = new ArrayList<>();
    r.quirk()
        .ifPresent(
            q ->
                out.add(
                    Finding.warning(
                        "reset-quirk",
                        s,
                        "known not to reset cleanly between guests: " + q.problem(),
                        "give it to one guest for the host's uptime, or install a device-specific"
                            + " reset where one exists (source: "
                            + q.source()
                            + ")")));
    String parent = r.parent().map(PciAddress::toString).orElse("its bridge");
    if (r.functionLevel()) {
      out.add(
          r.methods().isPresent()
              ? Finding.ok("reset", s, "reset methods: " + String.join(", ", r.methods().get()))
              : Finding.ok(
                  "reset", s, "advertises Function Level Reset (reset_method not published)"));
      return out;
    }
    if (r.onlyBusReset()) {
      String also =
          r.blastRadius().isEmpty()
              ? "nothing else is below it"
              : "it also resets "
                  + abbreviate(r.blastRadius().stream().map(PciAddress::toString).toList(), 6);
      if (!r.hostVictims().isEmpty()) {
        List<PciAddress> victims =
            r.blastRadius().stream()
                .filter(a -> r.hostVictims().stream().anyMatch(v -> v.startsWith(a + " ")))
                .toList();
        out.add(
            Finding.blocking(
                    "reset-blast-radius",
                    s,
                    "has no function-level reset: its only reset is a secondary bus reset below "
                        + parent
                        + ", which would also reset host device(s) "
                        + abbreviate(r.hostVictims(), 6),
                    "move the card to a slot of its own, or give those devices to the same guest"
                        + " (bound to vfio-pci too), or choose a device with FLR")
                .with(FixAction.bindAlso(victims)));
        return out;
      }
      out.add(
          Finding.warning(
              "reset",
              s,
              "resets only by secondary bus reset below " + parent + " (" + also + ")",
              "assign all functions on that bus to the same guest"));
      return out;
    }
    if (r.methods().isPresent()) {
      out.add(
          Finding.warning(
              "no-reset",
              s,
              "has no reset method (reset_method is empty): device state survives from one guest"
                  + " to the next",
              "give it to one guest only, or to guests that trust each other"));
      return out;
    }
    // Since 5.15 the kernel hides reset_method when the device has no reset at all
    // (pci_dev_reset_attr_is_visible in drivers/pci/pci-sysfs.c); older kernels never publish it.
    out.add(
        Finding.warning(
            "no-reset",
            s,
            "no reset method known: no reset_method attribute (a kernel ≥ 5.15 hides it when the"
                + " device cannot be reset) and no FLR advertised",
            "give it to one guest only, or to guests that trust each other"));
    return out;
  }

  private Optional<Finding> extendedConfig(PciDevice d) {
    ConfigSpace c = ConfigDecoder.decode(d.config());
    String s = d.address().toString();
    if (!c.responding() || !c.capabilitiesReadable()) {
      return Optional.empty();
    }
    if (c.express().isEmpty()) {
      return Optional.of(
          Finding.warning(
              "conventional-pci",
              s,
              "is conventional PCI: the guest gets 256 bytes of config space and no extended"
                  + " capabilities (AER, ACS, ATS...)",
              "fine for most drivers; place it on a conventional slot or PHB in the guest"));
    }
    if (!c.extendedReadable()) {
      return Optional.of(
          Finding.warning(
              "no-extended-config",
              s,
              "is PCIe but only "
                  + d.config().length
                  + " bytes of config space are readable: the host has no extended config"
                  + " access, so the guest will lack it too",
              "on pseries use a PHB with extended config space; elsewhere check MMCONFIG/ECAM"));
    }
    return Optional.empty();
  }

  private static Finding driver(PciDevice d) {
    String s = d.address().toString();
    if (d.boundToVfio()) {
      return Finding.ok("driver", s, "bound to " + d.driver().get() + ": ready for a guest");
    }
    return d.driver()
        .map(
            drv ->
                Finding.ok("driver", s, "bound to host driver " + drv)
                    .with(FixAction.bindDevice(d.address())))
        .orElseGet(() -> Finding.ok("driver", s, "no driver bound"));
  }
}
