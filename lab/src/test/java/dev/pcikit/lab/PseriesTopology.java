package dev.pcikit.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PCI topology that a file of QEMU pseries arguments asks for (lab/topology/pseries.args, or
 * what {@code pcikit plan} emits): the spapr-pci-host-bridges and the devices on their root buses,
 * with what a Linux guest is expected to see for each.
 */
public record PseriesTopology(List<Phb> phbs, List<Device> devices) {

  /** A vPHB: index N is guest PCI domain N and device-tree node /pci@80000002000000N (hex). */
  public record Phb(int index, String id, String rootBus, boolean extendedConfig) {
    public String dtNode() {
      return "/pci@" + Long.toHexString(0x800000020000000L + index);
    }
  }

  /** A device on a PHB's root bus, with the guest BDF it gets (domain = PHB index, bus 00). */
  public record Device(String driver, String id, Phb phb, int slot, int function) {
    public String bdf() {
      return String.format("%04x:00:%02x.%d", phb.index(), slot, function);
    }

    /**
     * Whether the guest should see a PCIe device with 4096 bytes of config space and
     * ibm,pci-config-space-type=1 on its node: QEMU 7.2 (hw/ppc/spapr_pci.c spapr_dt_pci_device)
     * sets the property when the PHB has extended config space and the device is PCI Express;
     * hybrid virtio devices are conventional on a root bus.
     */
    public boolean expectsExtendedConfig() {
      return phb.extendedConfig() && isExpress(driver);
    }
  }

  private static final Phb DEFAULT_PHB = new Phb(0, null, "pci.0", true);

  public static boolean isExpress(String qemuDriver) {
    return switch (qemuDriver) {
      case "e1000e", "nvme", "igb", "pcie-root-port", "vfio-pci-express-stand-in" -> true;
      default -> false; // e1000, rtl8139, virtio-*-pci (conventional on a root bus) ...
    };
  }

  /** The vendor:device a Linux guest reads for a QEMU stand-in device, when known. */
  public static Optional<String> pciIds(String qemuDriver) {
    return Optional.ofNullable(
        Map.of(
                "e1000e", "8086:10d3",
                "e1000", "8086:100e",
                "nvme", "1b36:0010",
                "virtio-net-pci", "1af4:1000",
                "igb", "8086:10c9")
            .get(qemuDriver));
  }

  public static PseriesTopology read(Path argsFile) throws IOException {
    List<String> words = new ArrayList<>();
    for (String line : Files.readAllLines(argsFile)) {
      int hash = line.indexOf('#');
      String s = (hash >= 0 ? line.substring(0, hash) : line).trim();
      for (String w : s.split("\\s+")) {
        if (!w.isEmpty() && !w.equals("\\")) { // shell line continuations of `pcikit plan -o qemu`
          words.add(w);
        }
      }
    }
    return parse(words);
  }

  public static PseriesTopology parse(List<String> args) {
    Map<String, Phb> byBus = new LinkedHashMap<>();
    byBus.put(DEFAULT_PHB.rootBus(), DEFAULT_PHB);
    List<Map<String, String>> deviceArgs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (!args.get(i).equals("-device") || i + 1 >= args.size()) {
        continue;
      }
      Map<String, String> p = properties(args.get(++i));
      if (p.get("driver").equals("spapr-pci-host-bridge")) {
        Phb phb =
            new Phb(
                Integer.parseInt(p.get("index")),
                p.get("id"),
                p.get("id") + ".0",
                !"off".equals(p.get("pcie-extended-configuration-space")));
        byBus.put(phb.rootBus(), phb);
      } else {
        deviceArgs.add(p);
      }
    }
    List<Device> devices = new ArrayList<>();
    for (Map<String, String> p : deviceArgs) {
      Phb phb = byBus.get(p.getOrDefault("bus", "pci.0"));
      if (phb == null || !p.containsKey("addr")) {
        throw new IllegalArgumentException("device not on a PHB root bus with an addr: " + p);
      }
      // addr=SLOT[.FUNC], each decimal or 0x-hex in QEMU (0x1.0x1 in pcikit plan's output)
      String[] addr = p.get("addr").replace("0x", "").split("\\.");
      devices.add(
          new Device(
              p.get("driver"),
              p.get("id"),
              phb,
              Integer.parseInt(addr[0], 16),
              addr.length > 1 ? Integer.parseInt(addr[1], 16) : 0));
    }
    return new PseriesTopology(List.copyOf(byBus.values()), List.copyOf(devices));
  }

  private static Map<String, String> properties(String deviceArg) {
    Map<String, String> p = new LinkedHashMap<>();
    String[] parts = deviceArg.split(",");
    p.put("driver", parts[0]);
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) {
        p.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
    }
    return p;
  }
}
