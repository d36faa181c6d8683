package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Errno;
import dev.pcikit.core.sysfs.MemorySysfs;
import dev.pcikit.core.sysfs.SysfsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * TEST-ONLY stand-in for the simulated kernel (branch sim) until it lands: just the binding
 * semantics of Linux 6.1 that the engine relies on (drivers/base/bus.c, drivers/pci/pci-driver.c):
 * driver_override ("(null)" when unset), driver/unbind, drivers/X/bind (ENODEV when the override
 * names another driver or no id matches, EBUSY when bound), drivers_probe (always succeeds, even
 * when the probe fails), groups held open (EBUSY), modules loaded on demand, and fault injection.
 */
final class FakeKernel extends MemorySysfs implements ModuleLoader {

  /** Thrown when a scheduled crash point is reached: like kill -9, nobody should catch it. */
  static final class Crash extends RuntimeException {
    Crash(int n) {
      super("simulated crash after write " + n);
    }
  }

  private final Map<String, Set<String>> driverIds = new HashMap<>(); // driver -> vvvv:dddd
  private final Set<String> loadable = new HashSet<>();
  private final Set<Integer> openGroups = new HashSet<>();
  private final Set<String> probeFails = new HashSet<>();
  private int writes;
  private int failAt = -1;
  private Errno failErrno = Errno.EIO;
  private int crashAfter = -1;
  private int removeAt = -1;
  private String removeWhat;
  private Path autosave;

  // ---- building ----------------------------------------------------------------------------

  FakeKernel driver(String name, boolean loaded, String... ids) {
    driverIds.put(name, Set.of(ids));
    loadable.add(name);
    if (loaded) {
      loadDriver(name);
    }
    return this;
  }

  private void loadDriver(String name) {
    mkdirs("bus/pci/drivers/" + name);
    putText("bus/pci/drivers/" + name + "/bind", "");
    putText("bus/pci/drivers/" + name + "/unbind", "");
    putText("bus/pci/drivers/" + name + "/new_id", "");
  }

  static String real(String bdf) {
    return "devices/pci0000:00/" + bdf;
  }

  FakeKernel device(String bdf, String ids, int cls, int group, String driver) {
    String d = real(bdf);
    mkdirs(d);
    putText(d + "/vendor", "0x" + ids.substring(0, 4) + "\n");
    putText(d + "/device", "0x" + ids.substring(5) + "\n");
    putText(d + "/class", String.format("0x%06x%n", cls));
    putText(d + "/driver_override", "(null)\n");
    putLink("bus/pci/devices/" + bdf, "../../../" + d);
    putLink(d + "/iommu_group", "../../../kernel/iommu_groups/" + group);
    putLink("kernel/iommu_groups/" + group + "/devices/" + bdf, "../../../../" + d);
    putText("bus/pci/drivers_probe", "");
    if (driver != null) {
      attach(bdf, driver);
    }
    return this;
  }

  FakeKernel vfs(String pf, String... vfs) {
    putText(real(pf) + "/sriov_numvfs", vfs.length + "\n");
    for (int i = 0; i < vfs.length; i++) {
      putLink(real(pf) + "/virtfn" + i, "../" + vfs[i]);
      putLink(real(vfs[i]) + "/physfn", "../" + pf);
    }
    return this;
  }

  FakeKernel attr(String bdf, String rel, String value) {
    putText(real(bdf) + "/" + rel, value);
    return this;
  }

  // ---- faults ------------------------------------------------------------------------------

  /** Saves the state to a file after every write (several processes share one host). */
  void autosave(Path file) {
    this.autosave = file;
  }

  void failWrite(int n, Errno errno) {
    failAt = n;
    failErrno = errno;
  }

  void crashAfterWrite(int n) {
    crashAfter = n;
  }

  void removeBeforeWrite(int n, String bdf) {
    removeAt = n;
    removeWhat = bdf;
  }

  /** The probe of {@code driver} on the device fails (drivers_probe still answers success). */
  void probeFails(String bdf, String driver) {
    probeFails.add(bdf + "/" + driver);
  }

  void openGroup(int g) {
    openGroups.add(g);
  }

  void clearFaults() {
    failAt = -1;
    crashAfter = -1;
    removeAt = -1;
    probeFails.clear();
  }

  int writes() {
    return writes;
  }

  Set<Integer> openGroups() {
    return openGroups;
  }

  // ---- kernel semantics --------------------------------------------------------------------

  String driverOf(String bdf) {
    return linkName("bus/pci/devices/" + bdf + "/driver").orElse(null);
  }

  String overrideOf(String bdf) {
    return DeviceReader.override(attr("bus/pci/devices/" + bdf + "/driver_override"));
  }

  private int groupOf(String bdf) {
    return linkName("bus/pci/devices/" + bdf + "/iommu_group").map(Integer::parseInt).orElse(-1);
  }

  private void attach(String bdf, String driver) {
    putLink(real(bdf) + "/driver", "../../../bus/pci/drivers/" + driver);
    putLink("bus/pci/drivers/" + driver + "/" + bdf, "../../../../" + real(bdf));
  }

  private void detach(String bdf) {
    String drv = driverOf(bdf);
    remove(real(bdf) + "/driver");
    if (drv != null) {
      remove("bus/pci/drivers/" + drv + "/" + bdf);
    }
  }

  private boolean matches(String driver, String bdf) {
    String ov = overrideOf(bdf);
    if (ov != null) {
      return ov.equals(driver);
    }
    String d = "bus/pci/devices/" + bdf;
    String ids =
        attr(d + "/vendor").orElse("0x").substring(2)
            + ":"
            + attr(d + "/device").orElse("0x").substring(2);
    return driverIds.getOrDefault(driver, Set.of()).contains(ids);
  }

  private boolean probe(String driver, String bdf) {
    if (probeFails.contains(bdf + "/" + driver)) {
      return false;
    }
    if (VfioDrivers.isVfio(driver) && exists("bus/pci/devices/" + bdf + "/sriov_numvfs")) {
      int n = Integer.parseInt(attr("bus/pci/devices/" + bdf + "/sriov_numvfs").orElse("0"));
      if (n > 0) {
        return false; // "Cannot bind to PF with SR-IOV enabled"
      }
    }
    attach(bdf, driver);
    return true;
  }

  @Override
  public void write(String path, String value) throws IOException {
    int n = ++writes;
    if (n == removeAt) {
      removeDevice(removeWhat);
    }
    if (n == failAt) {
      throw new SysfsException(failErrno, path, "injected");
    }
    apply(path, value.strip());
    if (autosave != null) {
      save(autosave); // a kernel's state outlives the process that wrote to it
    }
    if (n == crashAfter) {
      throw new Crash(n);
    }
  }

  private void apply(String path, String v) throws IOException {
    String[] p = path.split("/");
    if (!exists(path)) {
      throw new SysfsException(Errno.ENOENT, path);
    }
    if (path.endsWith("/driver_override")) {
      putText(real(p[3]) + "/driver_override", (v.isEmpty() ? "(null)" : v) + "\n");
    } else if (path.equals("bus/pci/drivers_probe")) {
      if (!exists("bus/pci/devices/" + v)) {
        throw new SysfsException(Errno.ENODEV, path);
      }
      if (driverOf(v) != null) {
        return;
      }
      for (String drv : list("bus/pci/drivers")) {
        if (matches(drv, v)) {
          probe(drv, v);
          return;
        }
      }
    } else if (path.endsWith("/unbind")) {
      String drv = p[p.length - 2].equals("driver") ? driverOf(p[3]) : p[3];
      if (drv == null || !drv.equals(driverOf(v))) {
        throw new SysfsException(Errno.ENODEV, path);
      }
      if (openGroups.contains(groupOf(v))) {
        throw new SysfsException(Errno.EBUSY, path, "group in use");
      }
      detach(v);
    } else if (path.endsWith("/bind")) {
      String drv = p[3];
      if (!exists("bus/pci/devices/" + v) || !matches(drv, v)) {
        throw new SysfsException(Errno.ENODEV, path);
      }
      if (driverOf(v) != null || openGroups.contains(groupOf(v))) {
        throw new SysfsException(Errno.EBUSY, path);
      }
      if (!probe(drv, v)) {
        throw new SysfsException(Errno.EINVAL, path, "probe failed");
      }
    } else {
      super.write(path, v);
    }
  }

  void removeDevice(String bdf) {
    if (!exists("bus/pci/devices/" + bdf)) {
      return;
    }
    detach(bdf);
    int g = groupOf(bdf);
    remove("kernel/iommu_groups/" + g + "/devices/" + bdf);
    remove("bus/pci/devices/" + bdf);
    remove(real(bdf));
  }

  @Override
  public void load(String module) throws IOException {
    String name = module.replace('_', '-').equals("vfio-pci") ? "vfio-pci" : module;
    if (!loadable.contains(name)) {
      throw new IOException("modprobe: FATAL: Module " + module + " not found");
    }
    if (!exists("bus/pci/drivers/" + name)) {
      loadDriver(name);
    }
  }

  // ---- state file (several processes share one host) --------------------------------------

  Map<String, String> bindings() {
    Map<String, String> out = new TreeMap<>();
    try {
      for (String bdf : list("bus/pci/devices")) {
        out.put(bdf, new Binding(driverOf(bdf), overrideOf(bdf)).encode());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  void save(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String d : list("bus/pci/drivers")) {
      lines.add("loaded " + d);
    }
    bindings().forEach((k, v) -> lines.add("dev " + k + " " + v));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, lines);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  void load(Path file) throws IOException {
    for (String l : Files.readAllLines(file)) {
      String[] f = l.split(" ");
      if (f[0].equals("loaded")) {
        load(f[1]);
      } else {
        Binding b = Binding.decode(f[2], f[3]);
        detach(f[1]);
        putText(
            real(f[1]) + "/driver_override",
            (b.override() == null ? "(null)" : b.override()) + "\n");
        if (b.driver() != null) {
          attach(f[1], b.driver());
        }
      }
    }
  }

  static PciAddress a(String bdf) {
    return PciAddress.parse(bdf);
  }
}
