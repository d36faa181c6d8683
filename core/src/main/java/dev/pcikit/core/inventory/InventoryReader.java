package dev.pcikit.core.inventory;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.PciAttributes;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Reads the inventory from any {@link Sysfs}. Every device is read on its own: a device whose
 * attributes are missing, non-numeric or unreadable is still listed, with {@link Problem}s. Links
 * are read, never walked recursively (sysfs has cycles).
 */
public final class InventoryReader {
  private static final String DEVICES = PciAttributes.DEVICES;

  /** The PCIe extended config space; a conventional PCI function has 256 bytes. */
  public static final int MAX_CONFIG = 4096;

  /** Enough config space for the header (bridge or endpoint, IDs): what listings need. */
  public static final int HEADER_CONFIG = 64;

  /** How much to read per device. */
  public enum Detail {
    /**
     * What listings show: IDs, class, driver, group, NUMA, SR-IOV links and counts. Only the
     * 64-byte config header is read (on real hardware every 4 bytes of a sysfs config read is a
     * config cycle), revision, subsystem IDs and modalias come from that header as the kernel
     * derives them, and group members come from the devices' own iommu_group links.
     */
    LISTING,
    /** Everything: whole config space, reset methods, boot VGA, driver module, group dirs. */
    FULL
  }

  private final Sysfs sysfs;
  private final Detail detail;

  /** The devices read at {@link #detail}; null: all of them. */
  private final Predicate<PciAddress> focus;

  /** A reader that takes everything (capabilities decoded). */
  public InventoryReader(Sysfs sysfs) {
    this(sysfs, Detail.FULL);
  }

  public InventoryReader(Sysfs sysfs, Detail detail) {
    this(sysfs, detail, null);
  }

  private InventoryReader(Sysfs sysfs, Detail detail, Predicate<PciAddress> focus) {
    this.sysfs = sysfs;
    this.detail = detail;
    this.focus = focus;
  }

  /**
   * A reader for one device's view ({@code show}): the devices {@code focus} accepts are read with
   * everything ({@link Detail#FULL}, their IOMMU groups as the kernel lists them), every other
   * device only as far as the focused ones' group status and reset blast radius look at it: device
   * path, class, config header, driver, IOMMU group and PF link. The other devices' IDs are -1,
   * their other attributes empty, and their problems are not complete: an inventory for describing
   * the focused devices, not for listing the host.
   */
  public static InventoryReader focused(Sysfs sysfs, Predicate<PciAddress> focus) {
    return new InventoryReader(sysfs, Detail.FULL, focus);
  }

  public Inventory read() {
    if (!sysfs.exists(DEVICES)) {
      throw new PcikitException(
          Failure.NOT_FOUND, "not a sysfs tree: no bus/pci/devices under the sysfs root");
    }
    List<Problem> hostProblems = new ArrayList<>();
    List<String> names;
    try {
      names = sysfs.list(DEVICES);
    } catch (IOException e) {
      throw new PcikitException(
          Failure.NOT_FOUND, "cannot list bus/pci/devices: " + e.getMessage());
    }
    List<PciAddress> addresses = new ArrayList<>();
    for (String name : names) {
      if (PciAddress.isAddress(name)) {
        addresses.add(PciAddress.parse(name));
      } else {
        hostProblems.add(Problem.warning(DEVICES + "/" + name, "not a PCI address, skipped"));
      }
    }
    // Devices are independent: read them in parallel (sysfs reads are syscall-bound).
    List<Object> results =
        addresses.parallelStream().map(this::readOrProblem).collect(Collectors.toList());
    List<PciDevice> devices = new ArrayList<>();
    for (Object r : results) {
      if (r instanceof PciDevice d) {
        devices.add(d);
      } else {
        hostProblems.add((Problem) r);
      }
    }
    devices.sort((a, b) -> a.address().compareTo(b.address()));
    return new Inventory(devices, readGroups(devices, hostProblems), hostProblems);
  }

  private Object readOrProblem(PciAddress address) {
    try {
      return focus == null || focus.test(address) ? readDevice(address) : readContext(address);
    } catch (IOException | RuntimeException e) {
      return Problem.error(address.toString(), "unreadable: " + e.getMessage());
    }
  }

  /** A device's directory as both reads start: its entries, its path, its attribute reader. */
  private record Opened(
      String bdf,
      String dir,
      List<Problem> problems,
      Set<String> entries,
      String devicePath,
      Attrs attrs) {}

  private Opened open(PciAddress address) throws IOException {
    String bdf = address.toString();
    String dir = DEVICES + "/" + bdf;
    List<Problem> problems = new ArrayList<>();
    String target = sysfs.readLink(dir).orElse(dir);
    // Listing the directory through the link fails for a dangling or cyclic link, and tells
    // which attributes exist without one exists() call each.
    Set<String> entries = new HashSet<>(sysfs.list(dir));
    return new Opened(
        bdf,
        dir,
        problems,
        entries,
        normalize(DEVICES, target),
        new Attrs(sysfs, dir, bdf, problems, entries));
  }

  /** Reads one device; throws only when its directory itself cannot be reached. */
  public PciDevice readDevice(PciAddress address) throws IOException {
    Opened o = open(address);
    String bdf = o.bdf();
    String dir = o.dir();
    List<Problem> problems = o.problems();
    Set<String> entries = o.entries();
    String devicePath = o.devicePath();
    Attrs a = o.attrs();

    int vendor = a.hex("vendor", true);
    int device = a.hex("device", true);
    int classCode = a.hex("class", true);
    byte[] config =
        entries.contains("config")
            ? readConfig(dir, bdf, problems, configLimit())
            : noConfig(bdf, problems);
    boolean full = detail == Detail.FULL;
    // The kernel fills revision and a type-0 header's subsystem IDs from these very config
    // bytes at enumeration (drivers/pci/probe.c pci_setup_device); bridges take theirs from the
    // SSVID capability, so they keep the attributes. A frozen device's all-ones header does not
    // count.
    boolean headerUsable =
        !full && config.length >= 0x30 && (config[0x0e] & 0x7f) == 0 && !allOnes(config);
    int subVendor = headerUsable ? u16(config, 0x2c) : a.hex("subsystem_vendor", false);
    int subDevice = headerUsable ? u16(config, 0x2e) : a.hex("subsystem_device", false);
    int revision = !full && config.length > 8 ? config[8] & 0xff : a.hex("revision", false);
    if (revision < 0 && config.length > 8) {
      revision = config[8] & 0xff;
    }
    Optional<String> override = a.text("driver_override").filter(s -> !s.equals("(null)"));
    int numa = a.dec("numa_node", false, -1);
    Optional<Integer> group = a.linkName("iommu_group").flatMap(g -> a.parseInt("iommu_group", g));
    Optional<String> driver = a.linkName("driver");
    Optional<String> module =
        full && driver.isPresent() ? sysfs.linkName(dir + "/driver/module") : Optional.empty();
    Optional<PciAddress> physfn = a.linkName("physfn").flatMap(p -> a.address("physfn", p));
    List<PciAddress> virtfns = readVirtfns(a, entries);
    Optional<SriovInfo> sriov = Optional.empty();
    if (entries.contains("sriov_totalvfs")) {
      sriov =
          Optional.of(
              new SriovInfo(
                  a.dec("sriov_totalvfs", false, -1),
                  a.dec("sriov_numvfs", false, -1),
                  a.dec("sriov_drivers_autoprobe", false, -1),
                  a.dec("sriov_offset", false, -1),
                  a.dec("sriov_stride", false, -1),
                  a.hexPlain("sriov_vf_device")));
    }
    Optional<List<String>> reset =
        full
            ? a.text("reset_method")
                .map(s -> s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+")))
            : Optional.empty();
    Optional<Boolean> bootVga =
        full ? a.text("boot_vga").map(s -> s.equals("1")) : Optional.empty();
    Optional<Boolean> enabled = full ? a.text("enable").map(s -> !s.equals("0")) : Optional.empty();
    Optional<String> modalias =
        full || vendor < 0 || device < 0 || classCode < 0
            ? a.text("modalias")
            : Optional.of(PciAttributes.modalias(vendor, device, subVendor, subDevice, classCode));
    return new PciDevice(
        address,
        devicePath,
        vendor,
        device,
        subVendor,
        subDevice,
        classCode,
        revision,
        modalias,
        driver,
        module,
        override,
        numa,
        group,
        physfn,
        virtfns,
        sriov,
        reset,
        bootVga,
        enabled,
        parentOf(devicePath, address),
        rootBusOf(devicePath),
        config,
        a.text("vfn").map(v -> Math.max(0, PciAttributes.number(v, 10).orElse(0))).orElse(0),
        problems);
  }

  /**
   * What a focused read takes of a device outside its focus: what {@link GroupStatus} (class,
   * header type, driver) and a reset's blast radius (device path, driver, group) look at, plus the
   * PF link that tells a VF; read like {@link #readDevice} reads them.
   */
  private PciDevice readContext(PciAddress address) throws IOException {
    Opened o = open(address);
    String devicePath = o.devicePath();
    Attrs a = o.attrs();
    int classCode = a.hex("class", true);
    byte[] config =
        o.entries().contains("config")
            ? readConfig(o.dir(), o.bdf(), o.problems(), HEADER_CONFIG)
            : noConfig(o.bdf(), o.problems());
    Optional<Integer> group = a.linkName("iommu_group").flatMap(g -> a.parseInt("iommu_group", g));
    Optional<String> driver = a.linkName("driver");
    Optional<PciAddress> physfn = a.linkName("physfn").flatMap(p -> a.address("physfn", p));
    return new PciDevice(
        address,
        devicePath,
        -1,
        -1,
        -1,
        -1,
        classCode,
        -1,
        Optional.empty(),
        driver,
        Optional.empty(),
        Optional.empty(),
        -1,
        group,
        physfn,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        parentOf(devicePath, address),
        rootBusOf(devicePath),
        config,
        a.text("vfn").map(v -> Math.max(0, PciAttributes.number(v, 10).orElse(0))).orElse(0),
        o.problems());
  }

  private static byte[] noConfig(String bdf, List<Problem> problems) {
    problems.add(Problem.error(bdf, "config: missing"));
    return new byte[0];
  }

  private byte[] readConfig(String dir, String bdf, List<Problem> problems, int limit) {
    byte[] config;
    try {
      config = sysfs.readBytes(dir + "/config", limit);
    } catch (IOException e) {
      problems.add(Problem.error(bdf, "config: unreadable: " + e.getMessage()));
      return new byte[0];
    }
    if (config.length < 64) {
      problems.add(
          Problem.error(bdf, "config: truncated (" + config.length + " bytes; a header has 64)"));
    } else if (config.length == 64 && limit > 64) {
      // The kernel gives a non-root reader only the standard header (pci_read_config in
      // drivers/pci/pci-sysfs.c): capabilities are not invented from it.
      problems.add(Problem.note(bdf, "config: 64 bytes readable; capabilities need root"));
    }
    if (config.length >= 4 && allOnes(config)) {
      problems.add(
          Problem.warning(
              bdf, "not responding: config reads all ones (device gone, or frozen by EEH)"));
    }
    return config;
  }

  private int configLimit() {
    return detail == Detail.FULL ? MAX_CONFIG : HEADER_CONFIG;
  }

  private static int u16(byte[] c, int off) {
    return (c[off] & 0xff) | (c[off + 1] & 0xff) << 8;
  }

  private static boolean allOnes(byte[] b) {
    for (int i = 0; i < Math.min(b.length, 64); i++) {
      if (b[i] != (byte) 0xff) {
        return false;
      }
    }
    return true;
  }

  private static List<PciAddress> readVirtfns(Attrs a, Set<String> entries) {
    TreeMap<Integer, PciAddress> byIndex = new TreeMap<>();
    for (String e : entries) {
      java.util.OptionalInt idx = PciAttributes.virtfnIndex(e);
      if (idx.isPresent()) {
        a.linkName(e).flatMap(t -> a.address(e, t)).ifPresent(p -> byIndex.put(idx.getAsInt(), p));
      }
    }
    return new ArrayList<>(byIndex.values());
  }

  private Map<Integer, IommuGroup> readGroups(List<PciDevice> devices, List<Problem> problems) {
    // Members as the devices' own iommu_group links say (one pass)...
    TreeMap<Integer, List<PciAddress>> members = new TreeMap<>();
    for (PciDevice d : devices) {
      d.iommuGroup()
          .ifPresent(g -> members.computeIfAbsent(g, k -> new ArrayList<>()).add(d.address()));
    }
    if (detail == Detail.FULL) {
      // ...or, when reading everything, as the kernel lists the group: it also names members
      // that are not PCI devices, which matter for viability.
      Set<Integer> focusGroups = new HashSet<>();
      for (PciDevice d : devices) {
        if (focus == null || focus.test(d.address())) {
          d.iommuGroup().ifPresent(focusGroups::add);
        }
      }
      for (Map.Entry<Integer, List<PciAddress>> e : members.entrySet()) {
        if (!focusGroups.contains(e.getKey())) {
          continue; // a focused read describes the focused devices' groups only
        }
        try {
          List<PciAddress> listed = new ArrayList<>();
          for (String name : sysfs.list("kernel/iommu_groups/" + e.getKey() + "/devices")) {
            if (PciAddress.isAddress(name)) {
              listed.add(PciAddress.parse(name));
            }
          }
          e.setValue(listed);
        } catch (IOException ex) {
          // recordings and trees may lack kernel/iommu_groups: keep the links' answer
        }
      }
    }
    TreeMap<Integer, IommuGroup> groups = new TreeMap<>();
    members.forEach(
        (id, list) -> groups.put(id, new IommuGroup(id, list.stream().sorted().toList())));
    return groups;
  }

  /** Resolves a relative link target against the link's directory, textually. */
  static String normalize(String linkDir, String target) {
    if (target.startsWith("/")) {
      String t = target.substring(1);
      return t.startsWith("sys/") ? t.substring(4) : t;
    }
    List<String> parts = new ArrayList<>(Arrays.asList(linkDir.split("/")));
    for (String p : target.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(p);
      }
    }
    return String.join("/", parts);
  }

  /** The upstream bridge: the path element before the device's own, when it is a BDF. */
  static Optional<PciAddress> parentOf(String devicePath, PciAddress self) {
    String[] parts = devicePath.split("/");
    for (int i = parts.length - 2; i >= 0; i--) {
      if (PciAddress.isAddress(parts[i]) && parts[i].contains(":")) {
        PciAddress p = PciAddress.parse(parts[i]);
        return p.equals(self) ? Optional.empty() : Optional.of(p);
      }
      if (parts[i].startsWith("pci")) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  static String rootBusOf(String devicePath) {
    for (String p : devicePath.split("/")) {
      if (p.startsWith("pci") && p.contains(":")) {
        return p;
      }
    }
    return "";
  }
}
