package dev.pcikit.core.testhosts;

import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.MemorySysfs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds small Linux-shaped PCI sysfs trees in memory for check and draw tests: root buses,
 * bridges, endpoints, drivers, IOMMU groups, NUMA nodes, SR-IOV PFs and VFs, with relative links as
 * the kernel makes them. (The simulated kernel's HostBuilder does this fully; this is the minimum
 * core tests need without depending on the sim module.)
 */
public final class SyntheticHost {
  public final MemorySysfs fs = new MemorySysfs();
  private final Map<String, String> dirs = new LinkedHashMap<>();

  public SyntheticHost() {
    fs.mkdirs("bus/pci/devices");
    fs.mkdirs("bus/pci/drivers");
    fs.mkdirs("kernel/iommu_groups");
    fs.mkdirs("module");
  }

  /** Options of one function. */
  public final class Fn {
    final String bdf;
    final String dir;

    Fn(String bdf, String dir) {
      this.bdf = bdf;
      this.dir = dir;
    }

    public String bdf() {
      return bdf;
    }

    public Fn driver(String name) {
      fs.mkdirs("bus/pci/drivers/" + name);
      fs.putLink(dir + "/driver", up(dir) + "bus/pci/drivers/" + name);
      fs.putLink("bus/pci/drivers/" + name + "/" + bdf, "../../../../" + dir);
      return this;
    }

    public Fn group(int g) {
      String gd = "kernel/iommu_groups/" + g;
      fs.mkdirs(gd + "/devices");
      fs.putText(gd + "/type", "DMA\n");
      fs.putLink(dir + "/iommu_group", up(dir) + gd);
      fs.putLink(gd + "/devices/" + bdf, "../../../../" + dir);
      return this;
    }

    public Fn numa(int node) {
      fs.putText(dir + "/numa_node", node + "\n");
      return this;
    }

    public Fn reset(String methods) {
      fs.putText(dir + "/reset_method", methods + "\n");
      return this;
    }

    public Fn bootVga() {
      fs.putText(dir + "/boot_vga", "1\n");
      return this;
    }

    public Fn attr(String name, String value) {
      fs.putText(dir + "/" + name, value + "\n");
      return this;
    }

    public Fn config(byte[] config) {
      fs.putFile(dir + "/config", config);
      return this;
    }

    /** Makes this function a PF with {@code vfs} enabled (VFs are added with {@link #vf}). */
    public Fn sriov(int total, int num) {
      fs.putText(dir + "/sriov_totalvfs", total + "\n");
      fs.putText(dir + "/sriov_numvfs", num + "\n");
      fs.putText(dir + "/sriov_drivers_autoprobe", "1\n");
      return this;
    }

    /** A directory below the function (e.g. "net/eth0", "nvme/nvme0/nvme0n1"). */
    public Fn child(String relative) {
      fs.mkdirs(dir + "/" + relative);
      return this;
    }

    /** Links this function as VF number {@code index} of {@code pf}. */
    public Fn vfOf(Fn pf, int index) {
      fs.putLink(dir + "/physfn", "../" + pf.bdf);
      fs.putLink(pf.dir + "/virtfn" + index, "../" + bdf);
      return this;
    }

    /** A physfn link to a PF that is not in the tree (a detached VF). */
    public Fn physfnMissing(String pfBdf) {
      fs.putLink(dir + "/physfn", "../" + pfBdf);
      return this;
    }
  }

  /** A function directly on a root bus (pciDDDD:BB). */
  public Fn onRoot(String bdf, int vendor, int device, int classCode) {
    PciAddress a = PciAddress.parse(bdf);
    String root = String.format("devices/pci%04x:%02x", a.domain(), a.bus());
    fs.mkdirs(root);
    return add(root, bdf, vendor, device, classCode);
  }

  /** A function below a bridge already added. */
  public Fn below(Fn bridge, String bdf, int vendor, int device, int classCode) {
    return add(bridge.dir, bdf, vendor, device, classCode);
  }

  private Fn add(String parentDir, String bdf, int vendor, int device, int classCode) {
    String dir = parentDir + "/" + bdf;
    fs.mkdirs(dir);
    fs.putLink("bus/pci/devices/" + bdf, "../../../" + dir);
    boolean bridge = (classCode >> 8) == 0x0604;
    fs.putFile(dir + "/config", Configs.header(vendor, device, classCode, bridge ? 1 : 0));
    fs.putText(dir + "/vendor", String.format("0x%04x%n", vendor));
    fs.putText(dir + "/device", String.format("0x%04x%n", device));
    fs.putText(dir + "/class", String.format("0x%06x%n", classCode));
    fs.putText(dir + "/numa_node", "-1\n");
    fs.putText(dir + "/driver_override", "(null)\n");
    dirs.put(bdf, dir);
    return new Fn(bdf, dir);
  }

  public Inventory inventory() {
    return new InventoryReader(fs).read();
  }

  /** "../" once per element of the link's directory: back to the sysfs root. */
  static String up(String dir) {
    return "../".repeat(dir.split("/").length);
  }
}
