package dev.pcikit.sim;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a host programmatically: devices from their config bytes, with drivers, IOMMU groups
 * (explicit, or derived from the topology and ACS like the kernel), NUMA nodes and platform
 * attributes. The result is a {@link SimKernel} (or just its {@link HostSysfs} tree) shaped like a
 * real Linux 6.1 sysfs, which unmodified lspci reads once materialized.
 *
 * <pre>{@code
 * SimKernel k = new HostBuilder("x86_64")
 *     .device("0000:00:02.0", ConfigSpaceBuilder.bridge(0x1b36, 0x000c).buses(0, 1, 1)
 *         .express(PciePortType.ROOT_PORT).acs(0x1f, 0x1d)).driver("pcieport").done()
 *     .device("0000:01:00.0", nvmeConfig).driver("nvme").numVfs(2).done()
 *     .boot();
 * }</pre>
 *
 * <p>Devices are created in address order; a device's parent is the bridge whose secondary bus is
 * its bus, or else the root bus (a {@code pciDDDD:BB} directory). Groups not given explicitly are
 * numbered like the kernel numbers them: in discovery order, lowest free number first.
 */
public final class HostBuilder {
  private final Map<String, String> info = new LinkedHashMap<>();
  private final TreeMap<PciAddress, Device> devices = new TreeMap<>();
  private final Map<String, Map<String, String>> params = new LinkedHashMap<>();
  private final List<String> preload = new ArrayList<>();
  private DriverCatalog catalog = DriverCatalog.defaults();
  private boolean explicitCatalog;
  private String iommu;
  private String groupType = "DMA";

  public HostBuilder(String arch) {
    info.put("arch", arch);
    info.put("kernel", "6.1.0-sim");
    iommu = arch.equals("x86_64") ? "dmar0" : "";
  }

  /** A host fact recorded in the snapshot ({@code platform}, {@code kernel}, {@code model}...). */
  public HostBuilder info(String key, String value) {
    info.put(key, value);
    return this;
  }

  /** The IOMMU device name devices link to ({@code dmar0}); empty for none. */
  public HostBuilder iommu(String name) {
    this.iommu = name;
    return this;
  }

  /** The type of new groups: DMA, DMA-FQ, identity (iommu=pt), blocked. */
  public HostBuilder groupType(String type) {
    this.groupType = type;
    return this;
  }

  public HostBuilder catalog(DriverCatalog c) {
    this.catalog = c;
    this.explicitCatalog = true;
    return this;
  }

  /** A module parameter (module/M/parameters/P), e.g. vfio_pci enable_sriov Y. */
  public HostBuilder moduleParam(String module, String param, String value) {
    params.computeIfAbsent(module, k -> new LinkedHashMap<>()).put(param, value);
    return this;
  }

  /** Loads a driver's module at boot even if no device uses it (e.g. vfio-pci). */
  public HostBuilder load(String driver) {
    preload.add(driver);
    return this;
  }

  public Device device(String bdf, ConfigSpaceBuilder config) {
    return device(bdf, config.build());
  }

  public Device device(String bdf, byte[] config) {
    PciAddress a = PciAddress.parse(bdf);
    Device d = new Device(a, config);
    devices.put(a, d);
    return d;
  }

  /** An already added device, to change its settings. */
  public Device device(String bdf) {
    Device d = devices.get(PciAddress.parse(bdf));
    if (d == null) {
      throw new IllegalArgumentException("no device " + bdf);
    }
    return d;
  }

  /** The host as a tree only (VFs asked for with {@link Device#numVfs} are created). */
  public HostSysfs build() {
    return boot().host();
  }

  /** Builds the tree and starts a simulated kernel on it, enabling the requested VFs. */
  public SimKernel boot() {
    HostSysfs fs = new HostSysfs();
    fs.info().putAll(info);
    if (explicitCatalog) {
      fs.catalog(catalog);
    }
    DeviceTree tree = new DeviceTree(fs);
    tree.ensureSkeleton();
    Map<PciAddress, String> dirs = new TreeMap<>();
    for (Device d : devices.values()) {
      String parent = null;
      for (Map.Entry<PciAddress, String> e : dirs.entrySet()) {
        ConfigBytes c = devices.get(e.getKey()).spec.cfg();
        if (e.getKey().domain() == d.address.domain()
            && c.isBridge()
            && c.secondaryBus() == d.address.bus()) {
          parent = e.getValue();
        }
      }
      if (parent == null) {
        parent = tree.ensureRootBus(d.address.domain(), d.address.bus());
      }
      if (d.spec.iommu.isEmpty()) {
        d.spec.iommu = iommu;
      }
      tree.addDevice(parent, d.address, d.spec);
      dirs.put(d.address, parent + "/" + d.address);
      fs.props(d.address.toString()).putAll(d.props);
    }
    for (Device d : devices.values()) {
      if (d.group != null) {
        tree.setGroup(d.address.toString(), d.group, groupType);
      }
    }
    IommuGrouping grouping = new IommuGrouping(tree);
    for (Device d : devices.values()) {
      if (d.group == null && d.grouped) {
        grouping.assign(d.address.toString(), groupType);
      }
    }
    SimKernel k = new SimKernel(fs);
    for (DriverSpec d : fs.catalog().all()) {
      if (d.builtin()) {
        k.loadDriver(d.name()); // built-in drivers are registered at boot
      }
    }
    for (String p : preload) {
      k.loadDriver(p);
    }
    for (Map.Entry<String, Map<String, String>> m : params.entrySet()) {
      for (Map.Entry<String, String> p : m.getValue().entrySet()) {
        fs.putText("module/" + m.getKey() + "/parameters/" + p.getKey(), p.getValue() + "\n");
      }
    }
    for (Device d : devices.values()) {
      String bdf = d.address.toString();
      if (d.driver != null) {
        k.loadDriver(d.driver);
        tree.setDriver(bdf, d.driver);
        tree.setAttr(bdf, "enable", "1");
      }
    }
    for (Device d : devices.values()) {
      String bdf = d.address.toString();
      if (!d.autoprobe) {
        tree.setAttr(bdf, "sriov_drivers_autoprobe", "0");
      }
      if (d.numVfs > 0) {
        try {
          k.write(DeviceTree.DEVICES + "/" + bdf + "/sriov_numvfs", Integer.toString(d.numVfs));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot enable VFs on " + bdf, e);
        }
      }
    }
    k.dmesg().clear();
    return k;
  }

  /** Settings of one function; {@link #done()} returns to the host. */
  public final class Device {
    final PciAddress address;
    final DeviceSpec spec;
    final Map<String, String> props = new TreeMap<>();
    String driver;
    Integer group;
    boolean grouped = true;
    int numVfs;
    boolean autoprobe = true;

    Device(PciAddress address, byte[] config) {
      this.address = address;
      this.spec = new DeviceSpec(config);
    }

    /** Bound to this driver at boot (its module is loaded). */
    public Device driver(String name) {
      this.driver = name;
      return this;
    }

    /** An explicit IOMMU group number instead of the derived one. */
    public Device group(int n) {
      this.group = n;
      return this;
    }

    /** No IOMMU group at all (no IOMMU, or a device the IOMMU does not cover). */
    public Device noGroup() {
      this.grouped = false;
      return this;
    }

    public Device numa(int node) {
      spec.numaNode = node;
      return this;
    }

    public Device irq(int irq) {
      spec.irq = irq;
      return this;
    }

    /** The reset_method attribute ("flr bus", "pm bus"...); empty: no reset_method nor reset. */
    public Device resetMethod(String methods) {
      spec.resetMethod = methods;
      return this;
    }

    public Device bootVga(boolean v) {
      spec.bootVga = v;
      return this;
    }

    /** Vendor/device attributes that differ from config (a VF reads ffff in config). */
    public Device ids(int vendor, int device) {
      spec.vendor = vendor;
      spec.device = device;
      return this;
    }

    /** Any further attribute (platform ones: s390 fid/uid/pchid/vfn, devspec, label...). */
    public Device attr(String name, String value) {
      spec.extra.put(name, value);
      return this;
    }

    /** Leaves optional attributes out (older kernels, restricted platforms). */
    public Device without(String... names) {
      spec.missing.addAll(List.of(names));
      return this;
    }

    /** Treated as ACS-isolated by a kernel quirk (pci_dev_specific_acs_enabled). */
    public Device acsQuirk() {
      props.put("acs_quirk", "1");
      return this;
    }

    /** POWER EEH partitionable endpoint number. */
    public Device pe(int pe) {
      props.put("pe", Integer.toString(pe));
      attr("eeh_pe_config_addr", String.format(Locale.ROOT, "0x%x", pe));
      return this;
    }

    /** A simulation property (see {@link SimKernel}). */
    public Device prop(String key, String value) {
      props.put(key, value);
      return this;
    }

    /** VFs enabled at boot (the PF needs a driver with SR-IOV support). */
    public Device numVfs(int n) {
      this.numVfs = n;
      return this;
    }

    /** sriov_drivers_autoprobe of this PF. */
    public Device autoprobe(boolean on) {
      this.autoprobe = on;
      return this;
    }

    /**
     * A VF whose PF is not visible (s390x zPCI, PowerVM): no physfn link; on s390x the zPCI {@code
     * vfn} attribute says it is a VF.
     */
    public Device detachedVf(int vfn) {
      props.put("detached_vf", Integer.toString(vfn));
      if (info.get("arch").equals("s390x")) {
        attr("vfn", String.format(Locale.ROOT, "0x%04x", vfn));
      }
      return this;
    }

    public HostBuilder done() {
      return HostBuilder.this;
    }
  }
}
