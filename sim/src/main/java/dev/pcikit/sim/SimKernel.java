package dev.pcikit.sim;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Errno;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.sysfs.SysfsException;
import dev.pcikit.sim.DriverSpec.Flag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A simulated Linux 6.1 PCI subsystem behind the {@link Sysfs} port: reads come from a {@link
 * HostSysfs} tree, writes behave as the kernel's store() handlers do (drivers/pci/pci-sysfs.c,
 * pci-driver.c, iov.c, drivers/base/bus.c, dd.c, drivers/vfio/pci), including their errno answers
 * and kernel log lines ({@link #dmesg()}). Verified outcomes: the x86 lab (lab/README.md) and
 * {@code SimKernelLabOutcomesTest}.
 *
 * <p>Beyond sysfs it models what a process sees: {@link #modprobe} (module loading), VFIO group
 * files ({@link #vfioGroups()}, {@link #openGroup}), EEH PE freezing on POWER ({@link #freezePe}),
 * surprise removal, and a {@link Faults} plan. Deviation: where the real kernel blocks the writer
 * (unbinding vfio-pci or disabling VFs while a process holds the group), the simulation answers
 * EBUSY instead of hanging. Writes and the process-level operations are serialized (one kernel
 * lock), as concurrent sysfs writers would be by the device lock.
 */
public class SimKernel implements Sysfs {
  private static final Set<String> WRITABLE_PLAIN =
      Set.of("enable", "d3cold_allowed", "msi_bus", "broken_parity_status", "numa_node", "control");

  private final HostSysfs fs;
  private final DeviceTree tree;
  private final IommuGrouping grouping;
  private final List<String> dmesg = new ArrayList<>();
  private final Map<Integer, String> openGroups = new LinkedHashMap<>();
  private final Map<String, RemovedDevice> removed = new LinkedHashMap<>();
  private Faults faults = new Faults();
  private int step;
  private int writes;

  private record RemovedDevice(String parentDir, TreeCopy copy) {}

  public SimKernel(HostSysfs fs) {
    this.fs = fs;
    this.tree = new DeviceTree(fs);
    this.grouping = new IommuGrouping(tree);
    // the tree is taken as it is (a recording): drivers are the ones it shows as loaded
    tree.ensureSkeleton();
  }

  /** The tree the kernel works on (to save or materialize). */
  public HostSysfs host() {
    return fs;
  }

  public DeviceTree tree() {
    return tree;
  }

  /** Kernel messages produced by writes, oldest first. */
  public List<String> dmesg() {
    return dmesg;
  }

  public Faults faults() {
    return faults;
  }

  /** Installs a fault plan (replacing the previous one); step counting restarts at 1. */
  public SimKernel faults(Faults plan) {
    this.faults = plan;
    this.step = 0;
    return this;
  }

  /** Write calls since the kernel started (whatever their outcome). */
  public int writes() {
    return writes;
  }

  /** Writes done so far under the current fault plan. */
  public int steps() {
    return step;
  }

  // ---- reads ----------------------------------------------------------------------------------

  @Override
  public String readText(String path) throws IOException {
    return fs.readText(path);
  }

  @Override
  public byte[] readBytes(String path, int max) throws IOException {
    byte[] b = fs.readBytes(path, max);
    String c = fs.canonical(path);
    if (SysfsPaths.name(c).equals("config")) {
      String bdf = SysfsPaths.name(SysfsPaths.parent(c));
      if (fs.prop(bdf, "frozen") != null) {
        // EEH: a frozen PE answers every config read with all-ones until it is reset
        Arrays.fill(b, (byte) 0xff);
      }
    }
    return b;
  }

  @Override
  public Optional<String> readLink(String path) throws IOException {
    return fs.readLink(path);
  }

  @Override
  public List<String> list(String path) throws IOException {
    return fs.list(path);
  }

  @Override
  public boolean exists(String path) {
    return fs.exists(path);
  }

  // ---- writes ---------------------------------------------------------------------------------

  private Runnable beforeWrite = () -> {};

  /** Runs before every write and module load (process-level crash tests: {@link KillPoints}). */
  public SimKernel beforeWrite(Runnable r) {
    this.beforeWrite = r;
    return this;
  }

  @Override
  public synchronized void write(String path, String value) throws IOException {
    beforeWrite.run();
    writes++;
    int n = ++step;
    if (faults.crashes(n)) {
      throw new SimulatedCrash(n);
    }
    for (String bdf : faults.removalsBefore(n)) {
      if (tree.exists(bdf)) {
        log("pci " + bdf + ": surprise removal (hot unplug)");
        removeDevice(bdf, false);
      }
    }
    for (int pe : faults.freezesBefore(n)) {
      freezePe(pe);
    }
    if (!fs.exists(path)) {
      throw new SysfsException(Errno.ENOENT, path);
    }
    String c = fs.canonical(path);
    if (fs.isDirectory(path)) {
      throw new SysfsException(Errno.EISDIR, path);
    }
    Optional<Errno> injected = faults.writeFault(c);
    if (injected.isPresent()) {
      throw new SysfsException(injected.get(), path, "injected fault at write #" + n);
    }
    if (value.isEmpty()) {
      // fs/sysfs/file.c sysfs_kf_write(): "if (!count) return 0;" -- a zero-length write never
      // reaches the attribute's store() (so it cannot clear driver_override; "\n" does)
      return;
    }
    dispatch(path, c, value);
  }

  private void dispatch(String path, String c, String value) throws IOException {
    String name = SysfsPaths.name(c);
    String dir = SysfsPaths.parent(c);
    if (dir.equals(DeviceTree.BUS)) {
      switch (name) {
        case "drivers_probe" -> driversProbe(path, value);
        case "rescan" -> {
          if (parseUlong(path, value) != 0) {
            rescan(null);
          }
        }
        case "drivers_autoprobe" -> fs.putText(c, (parseBool(path, value) ? "1" : "0") + "\n");
        default -> throw new SysfsException(Errno.EACCES, path);
      }
      return;
    }
    if (SysfsPaths.parent(dir).equals(DeviceTree.DRIVERS)) {
      String driver = SysfsPaths.name(dir);
      switch (name) {
        case "bind" -> bind(path, driver, value);
        case "unbind" -> unbind(path, driver, value);
        case "new_id" -> newId(path, driver, value);
        case "remove_id" -> removeId(path, driver, value);
        default -> throw new SysfsException(Errno.EACCES, path);
      }
      return;
    }
    if (c.startsWith(DeviceTree.MODULES + "/") && SysfsPaths.name(dir).equals("parameters")) {
      moduleParam(path, c, value);
      return;
    }
    String bdf = SysfsPaths.name(dir);
    if (PciAddress.isAddress(bdf) && tree.exists(bdf) && tree.dir(bdf).equals(dir)) {
      deviceAttr(path, bdf, name, value);
      return;
    }
    if (name.equals("control") && SysfsPaths.name(dir).equals("power")) {
      fs.putText(c, value.strip() + "\n");
      return;
    }
    throw new SysfsException(Errno.EACCES, path);
  }

  private void deviceAttr(String path, String bdf, String name, String value) throws IOException {
    switch (name) {
      case "driver_override" -> driverOverride(path, bdf, value);
      case "remove" -> {
        if (parseUlong(path, value) != 0) {
          removeDevice(bdf, true);
        }
      }
      case "rescan" -> {
        if (parseUlong(path, value) != 0) {
          rescan(SysfsPaths.parent(tree.dir(bdf)));
        }
      }
      case "reset" -> reset(path, bdf, value);
      case "reset_method" -> resetMethod(path, bdf, value);
      case "sriov_numvfs" -> sriovNumvfs(path, bdf, value);
      case "sriov_drivers_autoprobe" -> tree.setAttr(bdf, name, parseBool(path, value) ? "1" : "0");
      default -> {
        if (fs.special(path).map(s -> s.kind() == SpecialFile.Kind.WRITE_ONLY).orElse(false)) {
          return; // write-only attribute without simulated meaning (sriov_vf_msix_count...)
        }
        if (!WRITABLE_PLAIN.contains(name)) {
          throw new SysfsException(Errno.EACCES, path);
        }
        tree.setAttr(bdf, name, value.strip());
      }
    }
  }

  // ---- driver_override, binding ---------------------------------------------------------------

  /** driver_set_override() of drivers/base/driver.c: a newline ends the value; "\n" clears. */
  private void driverOverride(String path, String bdf, String value) throws IOException {
    if (value.length() >= 4095) {
      throw new SysfsException(Errno.EINVAL, path);
    }
    String v = value;
    int nul = v.indexOf('\0');
    if (nul >= 0) {
      v = v.substring(0, nul);
    }
    int nl = v.indexOf('\n');
    if (nl >= 0) {
      v = v.substring(0, nl);
    }
    tree.setAttr(bdf, "driver_override", v.isEmpty() ? "(null)" : v);
  }

  private Optional<String> override(String bdf) {
    return tree.attr(bdf, "driver_override").filter(s -> !s.equals("(null)"));
  }

  /** bus/pci/drivers_probe: attach a driver if none; success even when every probe failed. */
  private void driversProbe(String path, String value) throws IOException {
    String bdf = value.strip();
    if (!tree.exists(bdf)) {
      throw new SysfsException(Errno.EINVAL, path, "no such device " + bdf);
    }
    attach(bdf);
  }

  /** drivers/X/bind (bind_store): ENODEV unless it matches; probe errors come back as errno. */
  private void bind(String path, String driver, String value) throws IOException {
    String bdf = value.strip();
    DriverSpec d = spec(driver);
    if (!tree.exists(bdf) || !matches(bdf, d)) {
      throw new SysfsException(Errno.ENODEV, path);
    }
    if (tree.driver(bdf).isPresent()) {
      throw new SysfsException(Errno.EBUSY, path, bdf + " is bound to " + tree.driver(bdf).get());
    }
    int r = probe(bdf, d);
    if (r != 0) {
      Errno e = errnoOf(r);
      throw new SysfsException(e, path, "probe of " + bdf + " failed with error -" + e.number());
    }
  }

  private void unbind(String path, String driver, String value) throws IOException {
    String bdf = value.strip();
    if (!tree.exists(bdf) || !tree.driver(bdf).equals(Optional.of(driver))) {
      throw new SysfsException(Errno.ENODEV, path);
    }
    DriverSpec d = spec(driver);
    OptionalInt g = tree.group(bdf);
    if (d.has(Flag.VFIO) && g.isPresent() && openGroups.containsKey(g.getAsInt())) {
      // the real kernel blocks the write until the user closes the device
      throw new SysfsException(
          Errno.EBUSY,
          path,
          "group " + g.getAsInt() + " is open by " + openGroups.get(g.getAsInt()));
    }
    release(bdf);
  }

  /** Unbinds a device from its driver, with what the driver does on remove. */
  private void release(String bdf) throws IOException {
    Optional<String> drv = tree.driver(bdf);
    if (drv.isEmpty()) {
      return;
    }
    DriverSpec d = spec(drv.get());
    int numvfs = tree.attr(bdf, "sriov_numvfs").map(Integer::parseInt).orElse(0);
    if (numvfs > 0) {
      if (d.has(Flag.VFIO)) {
        disableVfs(bdf); // vfio_pci_core_unregister_device() disables the SR-IOV it enabled
      } else {
        log(drv.get() + " " + bdf + ": driver left SR-IOV enabled after remove");
      }
    }
    tree.setDriver(bdf, null);
    tree.setAttr(bdf, "enable", "0");
  }

  private void newId(String path, String driver, String value) throws IOException {
    long[] f = parseIds(path, value, 7);
    DriverSpec d = spec(driver);
    String id = value.strip().replaceAll("\\s+", " ");
    List<String> ids = fs.dynids().computeIfAbsent(driver, k -> new ArrayList<>());
    if (f.length != 7) {
      String sv = f.length > 2 ? hex(f[2]) : "FFFFFFFF";
      String sd = f.length > 3 ? hex(f[3]) : "FFFFFFFF";
      int cls = f.length > 4 ? (int) f[4] : 0;
      String fake =
          String.format(
              Locale.ROOT,
              "pci:v%sd%ssv%ssd%sbc%02Xsc%02Xi%02X",
              hex(f[0]),
              hex(f[1]),
              sv,
              sd,
              cls >> 16 & 0xff,
              cls >> 8 & 0xff,
              cls & 0xff);
      boolean dup = d.matchesModalias(fake);
      for (String existing : ids) {
        dup |=
            dynidMatches(
                existing,
                f[0],
                f[1],
                f.length > 2 ? f[2] : 0xffff,
                f.length > 3 ? f[3] : 0xffff,
                cls);
      }
      if (dup) {
        throw new SysfsException(Errno.EEXIST, path);
      }
    }
    ids.add(id);
    // pci_add_dynid() -> driver_attach(): every unbound matching device is probed
    for (String bdf : tree.bdfs()) {
      if (tree.driver(bdf).isEmpty() && matches(bdf, d)) {
        probe(bdf, d);
      }
    }
  }

  private void removeId(String path, String driver, String value) throws IOException {
    long[] f = parseIds(path, value, 6);
    List<String> ids = fs.dynids().getOrDefault(driver, new ArrayList<>());
    for (String existing : ids) {
      long[] e = parseIdFields(existing);
      boolean same =
          e[0] == f[0]
              && e[1] == f[1]
              && (e.length > 2 ? e[2] : 0xffffffffL) == (f.length > 2 ? f[2] : 0xffffffffL)
              && (e.length > 3 ? e[3] : 0xffffffffL) == (f.length > 3 ? f[3] : 0xffffffffL);
      if (same) {
        ids.remove(existing);
        if (ids.isEmpty()) {
          fs.dynids().remove(driver);
        }
        return;
      }
    }
    throw new SysfsException(Errno.ENODEV, path);
  }

  /** device_attach(): tries loaded drivers in registration order until one binds. */
  private void attach(String bdf) throws IOException {
    if (tree.driver(bdf).isPresent()) {
      return;
    }
    for (DriverSpec d : loadedDrivers()) {
      if (matches(bdf, d) && probe(bdf, d) == 0 && tree.driver(bdf).isPresent()) {
        return;
      }
    }
  }

  private List<DriverSpec> loadedDrivers() {
    List<DriverSpec> out = new ArrayList<>();
    for (DriverSpec d : fs.catalog().all()) {
      if (tree.driverLoaded(d.name())) {
        out.add(d);
      }
    }
    return out;
  }

  /** pci_match_device(): driver_override first, then dynamic IDs, then the ID table. */
  private boolean matches(String bdf, DriverSpec d) {
    Optional<String> ov = override(bdf);
    if (ov.isPresent() && !ov.get().equals(d.name())) {
      return false;
    }
    String modalias = tree.attr(bdf, "modalias").orElse("");
    for (String id : fs.dynids().getOrDefault(d.name(), List.of())) {
      long[] f = parseIdFields(id);
      ConfigBytes c = new ConfigBytes(tree.config(bdf));
      long vendor = Long.decode(tree.attr(bdf, "vendor").orElse("0xffff"));
      long device = Long.decode(tree.attr(bdf, "device").orElse("0xffff"));
      if (idMatches(f, vendor, device, c.subsystemVendor(), c.subsystemDevice(), c.classCode())) {
        return true;
      }
    }
    if (d.matchesModalias(modalias)) {
      return true;
    }
    // override-only entries (vfio_pci:...) and pci_device_id_any both need driver_override
    return ov.isPresent();
  }

  /**
   * pci_device_probe() and really_probe(): returns 0 when bound (or when the driver took the device
   * and dropped it later), else the positive errno of the failed probe.
   */
  private int probe(String bdf, DriverSpec d) throws IOException {
    Optional<String> pf = tree.physfn(bdf);
    if (pf.isPresent()
        && tree.attr(pf.get(), "sriov_drivers_autoprobe").orElse("1").equals("0")
        && override(bdf).isEmpty()) {
      return Errno.ENODEV.number(); // pci_device_can_probe()
    }
    Optional<Errno> fault = faults.probeFault(bdf, d.name());
    if (fault.isPresent()) {
      return failed(bdf, d, fault.get());
    }
    OptionalInt g = tree.group(bdf);
    if (g.isPresent()
        && openGroups.containsKey(g.getAsInt())
        && !d.has(Flag.VFIO)
        && !d.has(Flag.MANAGED_DMA)) {
      return Errno.EBUSY.number(); // iommu_device_use_default_domain(): group owned by a user
    }
    if (d.has(Flag.VFIO) && tree.attr(bdf, "sriov_numvfs").map(v -> !v.equals("0")).orElse(false)) {
      log(d.name() + " " + bdf + ": Cannot bind to PF with SR-IOV enabled");
      return failed(bdf, d, Errno.EBUSY);
    }
    tree.setDriver(bdf, d.name());
    tree.setAttr(bdf, "enable", "1");
    if (d.has(Flag.VFIO)) {
      log(d.name() + " " + bdf + ": enabling device (0000 -> 0002)");
    }
    if (pf.isPresent() && vfProbeFails(pf.get(), d)) {
      // QEMU NVMe VFs have no queues until assigned: nvme takes the VF, then removes itself
      log("nvme nvme: Device not ready; aborting initialisation, CSTS=0x2");
      log("nvme nvme: Removing after probe failure status: -19");
      tree.setDriver(bdf, null);
      tree.setAttr(bdf, "enable", "0");
    }
    return 0;
  }

  private boolean vfProbeFails(String pf, DriverSpec d) {
    String p = fs.props(pf).get("vf_probe_fails");
    if (p != null) {
      return p.equals(d.name());
    }
    return d.name().equals("nvme") && tree.attr(pf, "vendor").orElse("").equals("0x1b36");
  }

  private int failed(String bdf, DriverSpec d, Errno e) {
    if (e != Errno.ENODEV && e != Errno.ENXIO) {
      log(d.name() + ": probe of " + bdf + " failed with error -" + e.number());
    }
    return e.number();
  }

  // ---- modules --------------------------------------------------------------------------------

  /** modprobe: loads the module providing a driver (by driver or module name). */
  public synchronized void modprobe(String moduleOrDriver) throws IOException {
    Optional<DriverSpec> d = fs.catalog().get(moduleOrDriver);
    if (d.isEmpty()) {
      d = fs.catalog().byModule(moduleOrDriver);
    }
    if (d.isEmpty()) {
      throw new SysfsException(
          Errno.ENOENT, "module/" + moduleOrDriver, "module " + moduleOrDriver + " not found");
    }
    beforeWrite.run();
    writes++;
    loadDriver(d.get().name());
    // a newly registered driver is tried on every unbound device (driver_attach)
    for (String bdf : tree.bdfs()) {
      if (tree.driver(bdf).isEmpty() && matches(bdf, d.get())) {
        probe(bdf, d.get());
      }
    }
  }

  /** Whether a driver is loaded (its bus/pci/drivers directory exists). */
  public boolean loaded(String driver) {
    return tree.driverLoaded(driver);
  }

  /** Creates a driver's sysfs presence without probing anything (boot-time state). */
  void loadDriver(String driver) {
    DriverSpec d =
        fs.catalog()
            .get(driver)
            .orElseGet(() -> new DriverSpec(driver, driver.replace('-', '_'), Set.of(), List.of()));
    tree.loadDriver(d, defaultParams(d.module()));
  }

  private static Map<String, String> defaultParams(String module) {
    if (module.equals("vfio_pci")) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("disable_denylist", "N");
      m.put("disable_idle_d3", "N");
      m.put("disable_vga", "N");
      m.put("enable_sriov", "N");
      m.put("nointxmask", "N");
      return m;
    }
    return Map.of();
  }

  private void moduleParam(String path, String c, String value) throws IOException {
    String v = value.strip();
    String old = fs.readText(c).strip();
    if (old.equals("Y") || old.equals("N")) {
      fs.putText(c, (parseBool(path, v) ? "Y" : "N") + "\n");
    } else {
      fs.putText(c, v + "\n");
    }
  }

  private boolean moduleParamOn(String module, String param) {
    return fs.attr("module/" + module + "/parameters/" + param).orElse("N").equals("Y");
  }

  private DriverSpec spec(String driver) {
    return fs.catalog()
        .get(driver)
        .orElseGet(() -> new DriverSpec(driver, driver.replace('-', '_'), Set.of(), List.of()));
  }

  // ---- SR-IOV ---------------------------------------------------------------------------------

  /** sriov_numvfs_store() of drivers/pci/iov.c. */
  private void sriovNumvfs(String path, String pf, String value) throws IOException {
    int n;
    try {
      n = Integer.decode(value.strip());
    } catch (NumberFormatException e) {
      throw new SysfsException(Errno.EINVAL, path);
    }
    if (n < 0 || n > 0xffff) {
      throw new SysfsException(Errno.EINVAL, path);
    }
    int total = Integer.parseInt(tree.attr(pf, "sriov_totalvfs").orElse("0"));
    if (n > total) {
      throw new SysfsException(Errno.ERANGE, path, n + " > sriov_totalvfs " + total);
    }
    int current = Integer.parseInt(tree.attr(pf, "sriov_numvfs").orElse("0"));
    if (n == current) {
      return;
    }
    Optional<String> drv = tree.driver(pf);
    if (drv.isEmpty()) {
      log("pci " + pf + ": no driver bound to device; cannot configure SR-IOV");
      throw new SysfsException(
          Errno.ENOENT, path, "no driver bound to device; cannot configure SR-IOV");
    }
    DriverSpec d = spec(drv.get());
    if (!d.has(Flag.SRIOV) && !d.has(Flag.VFIO)) {
      log("pci " + pf + ": driver does not support SR-IOV configuration via sysfs");
      throw new SysfsException(
          Errno.ENOENT, path, "driver does not support SR-IOV configuration via sysfs");
    }
    if (d.has(Flag.VFIO) && !moduleParamOn(d.module(), "enable_sriov")) {
      throw new SysfsException(Errno.ENOENT, path, "vfio-pci: enable_sriov=N");
    }
    if (n == 0) {
      for (String vf : tree.virtfns(pf)) {
        OptionalInt g = tree.group(vf);
        if (g.isPresent() && openGroups.containsKey(g.getAsInt())) {
          // the real kernel blocks in vfio-pci's remove until the user lets go
          throw new SysfsException(
              Errno.EBUSY, path, "VF " + vf + " is in use (group " + g.getAsInt() + " open)");
        }
      }
      disableVfs(pf);
      return;
    }
    if (current != 0) {
      String msg = current + " VFs already enabled. Disable before enabling " + n + " VFs";
      log(drv.get() + " " + pf + ": " + msg);
      throw new SysfsException(Errno.EBUSY, path, msg);
    }
    enableVfs(pf, n, d);
  }

  /** pci_iov_add_virtfn() for each VF: BDF from offset/stride (spilling onto the next buses). */
  private void enableVfs(String pf, int n, DriverSpec pfDriver) throws IOException {
    PciAddress a = PciAddress.parse(pf);
    int offset = Integer.parseInt(tree.attr(pf, "sriov_offset").orElse("1"));
    int stride = Integer.parseInt(tree.attr(pf, "sriov_stride").orElse("1"));
    int vfDevice = Integer.parseInt(tree.attr(pf, "sriov_vf_device").orElse("0"), 16);
    int vendor = Integer.decode(tree.attr(pf, "vendor").orElse("0xffff"));
    ConfigBytes pfCfg = new ConfigBytes(tree.config(pf));
    String parentDir = SysfsPaths.parent(tree.dir(pf));
    String pfDir = tree.dir(pf);
    String iommu = fs.isLink(pfDir + "/iommu") ? fs.readLink(pfDir + "/iommu").orElse(null) : null;
    String groupType =
        tree.group(pf).isPresent()
            ? fs.attr(DeviceTree.GROUPS + "/" + tree.group(pf).getAsInt() + "/type").orElse("DMA")
            : null;
    tree.setAttr(pf, "sriov_numvfs", Integer.toString(n));
    boolean capture = pfDriver.has(Flag.VFIO);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int rid = a.routingId() + offset + i * stride;
      if (rid > 0xffff) {
        break;
      }
      PciAddress va = PciAddress.fromRoutingId(a.domain(), rid);
      DeviceSpec s = new DeviceSpec(pfCfg.vfConfig());
      s.vendor = vendor;
      s.device = vfDevice;
      s.numaNode = Integer.parseInt(tree.attr(pf, "numa_node").orElse("-1"));
      s.resetMethod =
          pfCfg.flr() || tree.attr(pf, "reset_method").orElse("").contains("flr") ? "flr" : "";
      s.iommu = "";
      String vbdf = va.toString();
      tree.addDevice(parentDir, va, s);
      String vdir = tree.dir(vbdf);
      if (iommu != null) {
        fs.putLink(vdir + "/iommu", SysfsPaths.relative(vdir, SysfsPaths.resolve(pfDir, iommu)));
      }
      fs.putLink(vdir + "/physfn", SysfsPaths.relative(vdir, pfDir));
      fs.putLink(pfDir + "/virtfn" + i, SysfsPaths.relative(pfDir, vdir));
      Map<String, String> inherited = inheritedProps(pf);
      fs.props(vbdf).putAll(inherited);
      log(
          String.format(
              Locale.ROOT,
              "pci %s: [%04x:%04x] type 00 class 0x%06x",
              vbdf,
              vendor,
              vfDevice,
              pfCfg.classCode()));
      if (groupType != null) {
        int g = grouping.assign(vbdf, groupType);
        log("pci " + vbdf + ": Adding to iommu group " + g);
      }
      if (capture) {
        tree.setAttr(vbdf, "driver_override", pfDriver.name());
        log(pfDriver.name() + " " + pf + ": Captured SR-IOV VF " + vbdf + " driver_override");
      }
      created.add(vbdf);
    }
    for (String vbdf : created) {
      deviceAdded(vbdf);
    }
  }

  /** On PowerNV every VF gets a PE of its own (pnv_pci_sriov_enable): the next free number. */
  private Map<String, String> inheritedProps(String pf) {
    Map<String, String> p = new LinkedHashMap<>();
    if (fs.props(pf).containsKey("pe")) {
      int max = -1;
      for (Map<String, String> other : fs.allProps().values()) {
        if (other.containsKey("pe")) {
          max = Math.max(max, Integer.parseInt(other.get("pe")));
        }
      }
      p.put("pe", Integer.toString(max + 1));
    }
    return p;
  }

  /** sriov_disable(): VFs unbound and removed, links dropped. (The kernel also sleeps 1 s.) */
  private void disableVfs(String pf) throws IOException {
    String pfDir = tree.dir(pf);
    int n = Integer.parseInt(tree.attr(pf, "sriov_numvfs").orElse("0"));
    for (int i = n - 1; i >= 0; i--) {
      Optional<String> vf = fs.linkName(pfDir + "/virtfn" + i);
      if (vf.isPresent() && tree.exists(vf.get())) {
        release(vf.get());
        tree.removeDevice(vf.get());
        fs.props(vf.get()).clear();
      }
      fs.remove(pfDir + "/virtfn" + i);
    }
    tree.setAttr(pf, "sriov_numvfs", "0");
  }

  // ---- add / remove / rescan / reset ------------------------------------------------------------

  /**
   * A device appeared (VF, rescan): udev loads the modules its modalias names, then the driver core
   * probes it (unless bus/pci/drivers_autoprobe is 0).
   */
  private void deviceAdded(String bdf) throws IOException {
    if (fs.attr(DeviceTree.BUS + "/drivers_autoprobe").orElse("1").equals("0")) {
      return;
    }
    String modalias = tree.attr(bdf, "modalias").orElse("");
    for (DriverSpec d : fs.catalog().matching(modalias)) {
      if (!tree.driverLoaded(d.name())) {
        loadDriver(d.name());
      }
    }
    attach(bdf);
  }

  /** pci_stop_and_remove_bus_device(): children and VFs first; kept for a later rescan. */
  private void removeDevice(String bdf, boolean keepForRescan) throws IOException {
    String dir = tree.dir(bdf);
    for (String other : tree.bdfs()) {
      if (!other.equals(bdf) && tree.exists(other) && tree.dir(other).startsWith(dir + "/")) {
        removeDevice(other, keepForRescan);
      }
    }
    if (tree.attr(bdf, "sriov_numvfs").map(v -> !v.equals("0")).orElse(false)) {
      disableVfs(bdf);
    }
    Optional<String> pf = tree.physfn(bdf);
    release(bdf);
    tree.leaveGroup(bdf);
    if (keepForRescan && pf.isEmpty()) {
      removed.put(bdf, new RemovedDevice(SysfsPaths.parent(dir), TreeCopy.capture(fs, dir)));
    }
    if (pf.isPresent()) {
      String pfDir = tree.dir(pf.get());
      for (int i = 0; fs.isLink(pfDir + "/virtfn" + i); i++) {
        if (fs.linkName(pfDir + "/virtfn" + i).orElse("").equals(bdf)) {
          fs.remove(pfDir + "/virtfn" + i);
        }
      }
    }
    tree.removeDevice(bdf);
    log("pci " + bdf + ": Removing from iommu group");
  }

  /** Rediscovers removed devices below a directory (null: every root bus). */
  private void rescan(String underDir) throws IOException {
    List<String> back = new ArrayList<>();
    for (Map.Entry<String, RemovedDevice> e : new ArrayList<>(removed.entrySet())) {
      RemovedDevice r = e.getValue();
      if (underDir == null
          || r.parentDir().equals(underDir)
          || r.parentDir().startsWith(underDir + "/")) {
        if (!fs.exists(r.parentDir())) {
          continue;
        }
        String bdf = e.getKey();
        String dir = r.parentDir() + "/" + bdf;
        r.copy().restore(fs, dir, Set.of("driver", "iommu_group"));
        fs.putLink(DeviceTree.DEVICES + "/" + bdf, SysfsPaths.relative(DeviceTree.DEVICES, dir));
        tree.setAttr(bdf, "driver_override", "(null)");
        tree.setAttr(bdf, "enable", "0");
        tree.setDriver(bdf, null);
        removed.remove(bdf);
        back.add(bdf);
      }
    }
    back.sort(null);
    for (String bdf : back) {
      log("pci " + bdf + ": rescanned");
      if (fs.exists(DeviceTree.GROUPS)) {
        grouping.assign(bdf, "DMA");
      }
    }
    for (String bdf : back) {
      deviceAdded(bdf);
    }
  }

  private void reset(String path, String bdf, String value) throws IOException {
    if (parseUlong(path, value) != 1) {
      throw new SysfsException(Errno.EINVAL, path);
    }
    String pe = fs.props(bdf).get("pe");
    if (pe != null && fs.props(bdf).containsKey("frozen")) {
      for (String other : tree.bdfs()) {
        if (pe.equals(fs.props(other).get("pe"))) {
          fs.props(other).remove("frozen");
        }
      }
      log("EEH: PE#" + pe + " reset, config space accessible again");
    }
    log("pci " + bdf + ": reset via " + tree.attr(bdf, "reset_method").orElse("?"));
  }

  private void resetMethod(String path, String bdf, String value) throws IOException {
    Map<String, String> p = fs.props(bdf);
    String supported =
        p.computeIfAbsent("reset_methods", k -> tree.attr(bdf, "reset_method").orElse(""));
    String v = value.strip();
    if (v.equals("default")) {
      tree.setAttr(bdf, "reset_method", supported);
      return;
    }
    List<String> all = List.of(supported.split(" "));
    for (String m : v.split("\\s+")) {
      if (!m.isEmpty() && !all.contains(m)) {
        throw new SysfsException(Errno.EINVAL, path, "reset method " + m + " not supported");
      }
    }
    tree.setAttr(bdf, "reset_method", v);
  }

  // ---- IOMMU groups, VFIO -------------------------------------------------------------------

  /** Groups that have a {@code /dev/vfio/N}: at least one member bound to a VFIO driver. */
  public Set<Integer> vfioGroups() {
    Set<Integer> out = new TreeSet<>();
    for (int g : tree.groups()) {
      for (String bdf : tree.groupDevices(g)) {
        if (tree.driver(bdf).map(this::spec).map(d -> d.has(Flag.VFIO)).orElse(false)) {
          out.add(g);
        }
      }
    }
    return out;
  }

  /** Whether {@code /dev/vfio/N} exists. */
  public boolean devVfioExists(int group) {
    return vfioGroups().contains(group);
  }

  /**
   * A group is viable when every member is unbound, on a VFIO driver, or on a driver that manages
   * its own DMA (pcieport, pci-stub): vfio_group_viable() in 6.1.
   */
  public boolean groupViable(int group) {
    for (String bdf : tree.groupDevices(group)) {
      Optional<String> d = tree.driver(bdf);
      if (d.isPresent()) {
        DriverSpec s = spec(d.get());
        if (!s.has(Flag.VFIO) && !s.has(Flag.MANAGED_DMA)) {
          return false;
        }
      }
    }
    return true;
  }

  /** A process (a VM) opens {@code /dev/vfio/N} and attaches it to a container. */
  public void openGroup(int group) throws SysfsException {
    openGroup(group, null);
  }

  /**
   * Opens a group as a VFIO user: ENOENT without /dev/vfio/N, EBUSY when already open, EPERM when
   * not viable (GROUP_SET_CONTAINER), EACCES for a VF of a vfio-pci PF without a VF token.
   */
  public synchronized void openGroup(int group, String vfToken) throws SysfsException {
    String dev = "/dev/vfio/" + group;
    if (!devVfioExists(group)) {
      throw new SysfsException(Errno.ENOENT, dev);
    }
    if (openGroups.containsKey(group)) {
      throw new SysfsException(Errno.EBUSY, dev, "already open");
    }
    if (!groupViable(group)) {
      throw new SysfsException(
          Errno.EPERM, dev, "group not viable: a member is bound to a host driver");
    }
    for (String bdf : tree.groupDevices(group)) {
      Optional<String> pf = tree.physfn(bdf);
      if (pf.isPresent()
          && tree.driver(pf.get()).map(this::spec).map(d -> d.has(Flag.VFIO)).orElse(false)
          && vfToken == null) {
        log("vfio-pci " + bdf + ": VF token required to access device");
        throw new SysfsException(Errno.EACCES, dev, "VF token required to access device " + bdf);
      }
    }
    openGroups.put(group, "pid " + (1000 + group));
  }

  public synchronized void closeGroup(int group) {
    openGroups.remove(group);
  }

  public boolean groupOpen(int group) {
    return openGroups.containsKey(group);
  }

  // ---- EEH, hot unplug ------------------------------------------------------------------------

  /** Freezes an EEH PE: config reads of its devices return all-ones until one is reset. */
  public synchronized void freezePe(int pe) {
    for (String bdf : tree.bdfs()) {
      if (Integer.toString(pe).equals(fs.props(bdf).get("pe"))) {
        fs.props(bdf).put("frozen", "1");
      }
    }
    log("EEH: Frozen PHB PE#" + pe + " detected");
  }

  public boolean peFrozen(int pe) {
    for (String bdf : tree.bdfs()) {
      Map<String, String> p = fs.props(bdf);
      if (Integer.toString(pe).equals(p.get("pe")) && p.containsKey("frozen")) {
        return true;
      }
    }
    return false;
  }

  /** A device disappears (hot unplug, not through sysfs): not brought back by rescan. */
  public synchronized void surpriseRemove(String bdf) throws IOException {
    removeDevice(bdf, false);
  }

  // ---- parsing helpers -----------------------------------------------------------------------

  private void log(String line) {
    dmesg.add(line);
  }

  private static Errno errnoOf(int positive) {
    for (Errno e : Errno.values()) {
      if (e.number() == positive) {
        return e;
      }
    }
    return Errno.EIO;
  }

  private static long parseUlong(String path, String value) throws SysfsException {
    try {
      return Long.parseUnsignedLong(value.strip());
    } catch (NumberFormatException e) {
      throw new SysfsException(Errno.EINVAL, path);
    }
  }

  /** kstrtobool: 1/0, y/n, on/off. */
  private static boolean parseBool(String path, String value) throws SysfsException {
    String v = value.strip().toLowerCase(java.util.Locale.ROOT);
    if (v.startsWith("1") || v.startsWith("y") || v.equals("on")) {
      return true;
    }
    if (v.startsWith("0") || v.startsWith("n") || v.equals("off")) {
      return false;
    }
    throw new SysfsException(Errno.EINVAL, path);
  }

  private static long[] parseIds(String path, String value, int max) throws SysfsException {
    long[] f;
    try {
      f = parseIdFields(value);
    } catch (NumberFormatException e) {
      throw new SysfsException(Errno.EINVAL, path);
    }
    if (f.length < 2 || f.length > max) {
      throw new SysfsException(Errno.EINVAL, path);
    }
    return f;
  }

  private static long[] parseIdFields(String value) {
    String[] parts = value.strip().split("\\s+");
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].startsWith("0x") ? parts[i].substring(2) : parts[i];
      out[i] = Long.parseLong(p, 16);
    }
    return out;
  }

  private static boolean idMatches(long[] f, long ven, long dev, long sv, long sd, int cls) {
    long any = 0xffffffffL;
    long fsv = f.length > 2 ? f[2] : any;
    long fsd = f.length > 3 ? f[3] : any;
    long fcls = f.length > 4 ? f[4] : 0;
    long mask = f.length > 5 ? f[5] : 0;
    return (f[0] == any || f[0] == ven)
        && (f[1] == any || f[1] == dev)
        && (fsv == any || fsv == sv)
        && (fsd == any || fsd == sd)
        && ((fcls ^ cls) & mask) == 0;
  }

  private static boolean dynidMatches(String existing, long v, long d, long sv, long sd, int cls) {
    long[] e = parseIdFields(existing);
    return idMatches(
        e, v, d, sv == 0xffff ? 0xffffffffL : sv, sd == 0xffff ? 0xffffffffL : sd, cls);
  }

  private static String hex(long v) {
    return String.format(Locale.ROOT, "%08X", v & 0xffffffffL);
  }
}
