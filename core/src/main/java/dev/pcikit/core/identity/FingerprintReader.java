package dev.pcikit.core.identity;

import dev.pcikit.core.config.Capability;
import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.config.ExtendedCapability;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.PciAttributes;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.text.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads {@link DeviceIdentity fingerprints} through the sysfs port: the DSN from the config space
 * (extended capability 0x0003, so root is needed), the VPD serial from the {@code vpd} file
 * (bounded to the 32 KiB VPD address space), the physical slot from {@code
 * bus/pci/slots/NAME/address}, {@code of_node/ibm,loc-code} (POWER), {@code uid}/{@code fid} (s390x
 * zPCI), and the path of device.function hops from the device's sysfs directory. One instance
 * caches the slot table and PF fingerprints: make one per inventory read. Given the inventory, it
 * takes what the inventory already read (device path, PF link, IDs, class, revision, and the config
 * bytes when the inventory read them whole) instead of reading it again. Safe for concurrent use.
 */
public final class FingerprintReader {
  private static final String DEVICES = PciAttributes.DEVICES;
  private static final String SLOTS = "bus/pci/slots";
  private static final int MAX_LOC_CODE = 256;
  private static final int MAX_ATTR = 64;

  private final Sysfs sysfs;
  private final Map<PciAddress, PciDevice> known;
  private Map<String, String> slotsByAddress;
  private final Map<PciAddress, DeviceIdentity> cache = new ConcurrentHashMap<>();
  private final Map<PciAddress, Map<PciAddress, Integer>> vfIndexesByPf = new ConcurrentHashMap<>();

  /**
   * A reader that reads every fact itself: for a caller that read no inventory. With an inventory
   * at hand, take {@link dev.pcikit.core.host.Host#fingerprints} instead: the same fingerprints
   * without reading again what the inventory read.
   */
  public FingerprintReader(Sysfs sysfs) {
    this(sysfs, List.of());
  }

  /**
   * A reader that reuses the facts an inventory of the same sysfs already holds for {@code
   * inventory}'s devices (read moments ago: a device replaced in between is a race the caller
   * accepts, as with any listing). {@link dev.pcikit.core.host.Host#fingerprints} makes one for a
   * host.
   */
  public FingerprintReader(Sysfs sysfs, Collection<PciDevice> inventory) {
    this.sysfs = sysfs;
    Map<PciAddress, PciDevice> m = new HashMap<>();
    for (PciDevice d : inventory) {
      m.put(d.address(), d);
    }
    this.known = m;
  }

  /**
   * The identities of {@code addresses}, read in parallel (sysfs reads are syscall-bound, as in
   * {@link InventoryReader}); functions that cannot be read are left out.
   */
  public Map<PciAddress, DeviceIdentity> readEach(Collection<PciAddress> addresses) {
    Map<PciAddress, DeviceIdentity> out = new ConcurrentHashMap<>();
    addresses.parallelStream()
        .forEach(
            a -> {
              try {
                out.put(a, read(a));
              } catch (IOException e) {
                // gone meanwhile, or its directory unreadable: no identity to offer
              }
            });
    return new TreeMap<>(out);
  }

  /** Every function's identity, in address order; unreadable functions are left out. */
  public Map<PciAddress, DeviceIdentity> readAll() {
    Map<PciAddress, DeviceIdentity> out = new TreeMap<>();
    List<String> names;
    try {
      names = sysfs.list(DEVICES);
    } catch (IOException e) {
      return out;
    }
    for (String n : names) {
      if (PciAddress.isAddress(n)) {
        PciAddress a = PciAddress.parse(n);
        try {
          out.put(a, read(a));
        } catch (IOException e) {
          // gone meanwhile, or its directory unreadable: no identity to offer
        }
      }
    }
    return out;
  }

  public DeviceIdentity read(PciAddress a) throws IOException {
    DeviceIdentity cached = cache.get(a);
    if (cached != null) {
      return cached;
    }
    DeviceIdentity d = readUncached(a, 0);
    cache.put(a, d);
    return d;
  }

  private DeviceIdentity readUncached(PciAddress a, int depth) throws IOException {
    String dir = DEVICES + "/" + a;
    PciDevice inv = known.get(a);
    // the inventory's device path has the same pciDDDD:BB and device elements as the link
    String target =
        inv != null
            ? inv.devicePath()
            : sysfs
                .readLink(dir)
                .orElseThrow(() -> new IOException(dir + ": not a link to a device directory"));
    List<String> findings = new ArrayList<>();
    List<PciAddress> hops = new ArrayList<>();
    String root = parsePath(target, hops);
    if (hops.isEmpty() || !hops.get(hops.size() - 1).equals(a)) {
      hops.add(a);
    }
    // a listing's inventory holds the 64-byte header only; the DSN needs the extended space
    byte[] config =
        inv != null && inv.config().length > InventoryReader.HEADER_CONFIG
            ? inv.config()
            : readConfig(dir, findings);
    ConfigSpace cs = ConfigDecoder.decode(config);
    Optional<String> dsn =
        cs.extendedCapability(ExtendedCapability.Dsn.class)
            .filter(d -> d.serialNumber() != 0 && d.serialNumber() != -1L)
            .map(ExtendedCapability.Dsn::formatted);
    if (!cs.extendedReadable() && cs.responding() && cs.express().isPresent()) {
      findings.add(
          "extended config space not readable ("
              + cs.readableBytes()
              + " bytes): a Device Serial Number cannot be seen"
              + (cs.readableBytes() <= 64 ? " (needs root)" : ""));
    }
    Optional<Vpd> vpd = readVpd(dir, cs, findings);
    Optional<String> sn = vpd.flatMap(Vpd::serial);

    String path;
    String position;
    Optional<String> slot;
    Optional<PciAddress> physfn =
        inv != null
            ? inv.physfn()
            : sysfs.linkName(dir + "/physfn").filter(PciAddress::isAddress).map(PciAddress::parse);
    if (physfn.isPresent() && depth == 0) {
      // A VF sits next to its PF under the same bridge, on a bus number of its own: anchored on
      // its PF and its VF index (virtfnN), both stable under renumbering.
      DeviceIdentity pf = read(physfn.get());
      String vf = "vf" + vfIndex(physfn.get(), a);
      path = pf.fingerprint().path() + "/" + vf;
      position = pf.fingerprint().position() + "/" + vf;
      slot = pf.fingerprint().slot();
    } else {
      path = root + "/" + hopsText(hops, 0);
      SlotMatch sm = slot(hops, findings);
      slot = sm.name;
      position = sm.name.isPresent() ? hopsText(hops, sm.index) : hopsText(hops, hops.size() - 1);
    }
    Optional<String> loc =
        readString(dir + "/of_node/ibm,loc-code", MAX_LOC_CODE).filter(s -> !s.isBlank());
    Optional<String> uid = sysfs.attr(dir + "/uid").filter(s -> s.length() <= MAX_ATTR);
    Optional<String> fid = sysfs.attr(dir + "/fid").filter(s -> s.length() <= MAX_ATTR);
    Optional<String> zpci =
        uid.isPresent() || fid.isPresent()
            ? Optional.of("uid " + uid.orElse("-") + " fid " + fid.orElse("-"))
            : Optional.empty();
    Fingerprint fp =
        new Fingerprint(
            Fingerprint.strengthOf(dsn, sn, slot, loc, zpci),
            dsn,
            sn,
            slot,
            loc,
            zpci,
            path,
            position,
            known(inv, PciDevice::vendor).orElseGet(() -> hex(dir + "/vendor", config, 0, 2)),
            known(inv, PciDevice::device).orElseGet(() -> hex(dir + "/device", config, 2, 2)),
            known(inv, PciDevice::subsystemVendor)
                .orElseGet(() -> hex(dir + "/subsystem_vendor", config, 0x2c, 2)),
            known(inv, PciDevice::subsystemDevice)
                .orElseGet(() -> hex(dir + "/subsystem_device", config, 0x2e, 2)),
            known(inv, PciDevice::classCode).orElseGet(() -> hex(dir + "/class", config, -1, 0))
                & 0xffffff,
            known(inv, PciDevice::revision).orElseGet(() -> hex(dir + "/revision", config, 8, 1)));
    return new DeviceIdentity(a, fp, vpd, findings);
  }

  /**
   * An ID the inventory read (it holds -1 for an attribute it could not read: then the attribute is
   * read here, with the config bytes as the fallback).
   */
  private static Optional<Integer> known(
      PciDevice inv, java.util.function.ToIntFunction<PciDevice> field) {
    if (inv == null) {
      return Optional.empty();
    }
    int v = field.applyAsInt(inv);
    return v >= 0 ? Optional.of(v) : Optional.empty();
  }

  /** The root bus element and the device hops of a sysfs device path. */
  static String parsePath(String target, List<PciAddress> hops) {
    String root = "";
    for (String p : target.split("/")) {
      if (p.startsWith("pci") && p.contains(":") && root.isEmpty()) {
        root = p;
      } else if (!root.isEmpty()
          && PciAddress.isAddress(p)
          && p.indexOf(':') != p.lastIndexOf(':')) {
        hops.add(PciAddress.parse(p));
      }
    }
    return root.isEmpty() ? "pci?" : root;
  }

  private static String hopsText(List<PciAddress> hops, int from) {
    List<String> parts = new ArrayList<>();
    for (int i = from; i < hops.size(); i++) {
      PciAddress h = hops.get(i);
      parts.add(Hex.pad(h.device(), 2) + "." + Integer.toHexString(h.function()));
    }
    return String.join("/", parts);
  }

  private record SlotMatch(Optional<String> name, int index) {}

  /**
   * The slot of the function or of the nearest upstream device that sits in one. A slot whose name
   * the kernel made unique is skipped, with a finding: see {@link #numberedApart}.
   */
  private SlotMatch slot(List<PciAddress> hops, List<String> findings) {
    Map<String, String> slots = slots();
    for (int i = hops.size() - 1; i >= 0; i--) {
      PciAddress h = hops.get(i);
      String key =
          Hex.pad(h.domain(), 4) + ":" + Hex.pad(h.bus(), 2) + ":" + Hex.pad(h.device(), 2);
      String name = slots.get(key);
      if (name != null && numberedApart.contains(name)) {
        findings.add(
            "slot "
                + name
                + " shares its physical slot number with another slot (the kernel told them apart"
                + " by a -N suffix in enumeration order): not used as an identity");
      } else if (name != null) {
        return new SlotMatch(Optional.of(name), i);
      }
    }
    return new SlotMatch(Optional.empty(), -1);
  }

  /**
   * Slot names that follow enumeration order rather than the hardware: when two slots report the
   * same physical slot number, drivers/pci/slot.c make_slot_name() keeps the first one's name and
   * names the next ones "NAME-1", "NAME-2"... in the order they are registered. Inserting a card
   * ahead of them renames them (seen in the x86 lab: QEMU root ports all report slot 0, and a slot
   * "0-2" became "0-3" after a root port was added ahead), so a fingerprint anchored on such a name
   * could pick another slot's device after renumbering. Every name of such a family counts.
   */
  private Set<String> numberedApart = Set.of();

  private synchronized Map<String, String> slots() {
    if (slotsByAddress == null) {
      slotsByAddress = new HashMap<>();
      if (sysfs.exists(SLOTS)) {
        try {
          List<String> names = sysfs.list(SLOTS);
          for (String s : names) {
            // address is DDDD:BB:SS (drivers/pci/slot.c address_read_file); a slot whose
            // device is not present reads DDDD:BB (no device number) and names nothing
            sysfs
                .attr(SLOTS + "/" + s + "/address")
                .filter(v -> v.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}"))
                .ifPresent(v -> slotsByAddress.putIfAbsent(v, s));
          }
          numberedApart = numberedApart(names);
        } catch (IOException e) {
          // no slot table: slots stay unknown
        }
      }
    }
    return slotsByAddress;
  }

  /** The names of {@code names} that are "BASE-N" with BASE also a name, and those BASEs. */
  static Set<String> numberedApart(Collection<String> names) {
    Set<String> all = new HashSet<>(names);
    Set<String> out = new HashSet<>();
    for (String n : names) {
      int dash = n.lastIndexOf('-');
      if (dash > 0
          && dash < n.length() - 1
          && n.substring(dash + 1).chars().allMatch(Character::isDigit)) {
        String base = n.substring(0, dash);
        if (all.contains(base)) {
          out.add(n);
          out.add(base);
        }
      }
    }
    return Set.copyOf(out);
  }

  private int vfIndex(PciAddress pf, PciAddress vf) throws IOException {
    Integer i = vfIndexes(pf).get(vf);
    if (i == null) {
      throw new IOException(vf + ": its PF " + pf + " has no virtfn link to it");
    }
    return i;
  }

  /**
   * The PF's virtfnN links, read once per PF: looking each VF up by walking its PF's links made a
   * listing of a PF with N VFs cost N² readlinks (1,000 functions: 1.1 s of a 1.5 s listing).
   */
  private Map<PciAddress, Integer> vfIndexes(PciAddress pf) throws IOException {
    Map<PciAddress, Integer> byVf = vfIndexesByPf.get(pf);
    if (byVf == null) {
      byVf = new HashMap<>();
      for (Map.Entry<Integer, PciAddress> e : new PciAttributes(sysfs).virtfns(pf).entrySet()) {
        byVf.putIfAbsent(e.getValue(), e.getKey());
      }
      vfIndexesByPf.put(pf, byVf);
    }
    return byVf;
  }

  private byte[] readConfig(String dir, List<String> findings) {
    try {
      return sysfs.readBytes(dir + "/config", 4096);
    } catch (IOException e) {
      findings.add("config space unreadable: " + e.getMessage());
      return new byte[0];
    }
  }

  private Optional<Vpd> readVpd(String dir, ConfigSpace cs, List<String> findings) {
    boolean capability = cs.capabilities().stream().anyMatch(c -> c.id() == 0x03);
    if (!sysfs.exists(dir + "/vpd")) {
      if (capability) {
        findings.add("VPD capability present but sysfs has no vpd file: no VPD serial");
      }
      return Optional.empty();
    }
    byte[] raw;
    try {
      // one byte over the address space tells a too-long file from a full one
      raw = sysfs.readBytes(dir + "/vpd", VpdParser.MAX_SIZE + 1);
    } catch (IOException e) {
      // the kernel answers EIO for VPD it cannot read (pci_vpd_read on a broken device)
      findings.add("vpd unreadable: " + e.getMessage());
      return Optional.empty();
    }
    if (raw.length == 0) {
      // the kernel sizes VPD at first read (pci_vpd_size): 0 means no valid VPD
      if (capability) {
        findings.add("vpd file is empty: the kernel found no valid VPD");
      }
      return Optional.empty();
    }
    Vpd v = VpdParser.parse(raw);
    v.findings().forEach(f -> findings.add("VPD: " + f));
    return Optional.of(v);
  }

  private Optional<String> readString(String path, int max) {
    if (!sysfs.exists(path)) {
      return Optional.empty();
    }
    try {
      byte[] b = sysfs.readBytes(path, max);
      int n = 0;
      while (n < b.length && b[n] != 0) {
        n++;
      }
      return Optional.of(new String(b, 0, n, StandardCharsets.US_ASCII).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * An ID from its attribute, or from the config bytes when the attribute is missing (an offset of
   * -1 means no fallback).
   */
  private int hex(String attr, byte[] config, int offset, int width) {
    Optional<String> v = sysfs.attr(attr);
    java.util.OptionalInt n =
        v.map(s -> PciAttributes.number(s, 16)).orElse(java.util.OptionalInt.empty());
    if (n.isPresent()) {
      return n.getAsInt();
    }
    // missing or not a number: the config bytes
    if (offset >= 0 && config.length >= offset + width) {
      return width == 1
          ? config[offset] & 0xff
          : (config[offset] & 0xff) | (config[offset + 1] & 0xff) << 8;
    }
    return 0;
  }

  static boolean isVpdCapability(Capability c) {
    return c.id() == 0x03;
  }
}
