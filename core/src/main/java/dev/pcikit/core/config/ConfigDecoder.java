package dev.pcikit.core.config;

import dev.pcikit.core.config.ConfigFinding.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes PCI configuration-space bytes (as read from sysfs {@code config}) into a {@link
 * ConfigSpace}. Pure: no I/O, never throws on any input; every problem becomes a {@link
 * ConfigFinding}. Chains are walked with a visited set and a count limit, so a looping or corrupt
 * chain always ends.
 */
public final class ConfigDecoder {
  static final int HEADER_SIZE = 64;
  static final int CONVENTIONAL_SIZE = 256;
  static final int CARDBUS_USER_SIZE = 128;
  static final int EXTENDED_SIZE = 4096;

  /** At most (256 - 64) / 4 standard capabilities fit. */
  static final int MAX_CAPS = (CONVENTIONAL_SIZE - HEADER_SIZE) / 4;

  /** At most (4096 - 256) / 4 extended capabilities fit. */
  static final int MAX_EXT_CAPS = (EXTENDED_SIZE - CONVENTIONAL_SIZE) / 4;

  private final byte[] data;
  private final int len;
  private final List<ConfigFinding> findings = new ArrayList<>();

  private ConfigDecoder(byte[] data) {
    this.data = data;
    this.len = Math.min(data.length, EXTENDED_SIZE);
  }

  /** Decodes {@code data}; its length is the number of readable bytes. Null counts as empty. */
  public static ConfigSpace decode(byte[] data) {
    return new ConfigDecoder(data == null ? new byte[0] : data).run();
  }

  private ConfigSpace run() {
    if (len >= 2 && u16(0) == 0xffff && allOnes(Math.min(len, HEADER_SIZE))) {
      finding(
          Kind.NOT_RESPONDING,
          0,
          "vendor ID reads 0xffff: device not responding (removed, powered off, or frozen by EEH)");
      return result(ConfigCoverage.NOT_RESPONDING, Optional.empty(), List.of(), List.of());
    }
    if (len < HEADER_SIZE) {
      finding(
          Kind.TRUNCATED,
          len,
          "config space truncated: " + len + " bytes readable, the header needs 64");
      return result(ConfigCoverage.TRUNCATED, Optional.empty(), List.of(), List.of());
    }
    ConfigHeader header = header();
    if (header.vendorId() == 0xffff) {
      // SR-IOV VFs read Vendor and Device ID as ffff by design (PCIe SR-IOV spec 3.4.1.1/2);
      // the kernel takes them from the PF and its SR-IOV capability. The rest is live data.
      finding(
          Kind.IDS_ALL_ONES,
          0,
          "vendor/device ID read as ffff while the rest of the header is live: normal for an"
              + " SR-IOV VF (IDs come from the PF)");
    }
    // drivers/pci/pci-sysfs.c pci_read_config: readers without CAP_SYS_ADMIN get 64 bytes,
    // 128 for CardBus bridges; the bytes after that are unknown, not zero
    if (len == HEADER_SIZE || (len == CARDBUS_USER_SIZE && header.layout() == 2)) {
      finding(
          Kind.NEEDS_ROOT,
          len,
          "only the first " + len + " bytes are readable; capabilities need root");
      return result(ConfigCoverage.HEADER_ONLY, Optional.of(header), List.of(), List.of());
    }
    ConfigCoverage coverage;
    if (len < CONVENTIONAL_SIZE) {
      coverage = ConfigCoverage.PARTIAL;
      finding(
          Kind.PARTIAL,
          len,
          "config space truncated at " + len + " bytes; capabilities beyond are not shown");
    } else if (len < EXTENDED_SIZE) {
      coverage = ConfigCoverage.CONVENTIONAL;
    } else {
      coverage = ConfigCoverage.EXTENDED;
    }
    List<Capability> caps = capabilities(header);
    List<ExtendedCapability> ext = List.of();
    if (coverage == ConfigCoverage.EXTENDED) {
      ext = extendedCapabilities();
    } else if (coverage == ConfigCoverage.CONVENTIONAL
        && caps.stream().anyMatch(Capability.Express.class::isInstance)) {
      finding(
          Kind.EXTENDED_NOT_READABLE,
          CONVENTIONAL_SIZE,
          "PCI Express device but only 256 bytes readable: extended capabilities unknown");
    }
    return result(coverage, Optional.of(header), caps, ext);
  }

  private ConfigSpace result(
      ConfigCoverage coverage,
      Optional<ConfigHeader> header,
      List<Capability> caps,
      List<ExtendedCapability> ext) {
    return new ConfigSpace(data.length, coverage, header, caps, ext, findings);
  }

  // ---- header ----------------------------------------------------------------------------

  private ConfigHeader header() {
    int headerType = u8(0x0e);
    int layout = headerType & 0x7f;
    int ssv = -1;
    int ssd = -1;
    int capPtr = 0;
    Optional<BridgeBuses> buses = Optional.empty();
    switch (layout) {
      case 0 -> {
        ssv = u16(0x2c);
        ssd = u16(0x2e);
        capPtr = u8(0x34);
      }
      case 1 -> {
        capPtr = u8(0x34);
        buses = Optional.of(new BridgeBuses(u8(0x18), u8(0x19), u8(0x1a), u8(0x1b)));
      }
      case 2 -> {
        capPtr = u8(0x14);
        buses = Optional.of(new BridgeBuses(u8(0x18), u8(0x19), u8(0x1a), u8(0x1b)));
        if (len >= 0x44) {
          ssv = u16(0x40);
          ssd = u16(0x42);
        }
      }
      default ->
          finding(
              Kind.UNKNOWN_HEADER_TYPE,
              0x0e,
              String.format(
                  Locale.ROOT, "unknown header layout %#x: capabilities not walked", layout));
    }
    return new ConfigHeader(
        u16(0x00),
        u16(0x02),
        new CommandRegister(u16(0x04)),
        u16(0x06),
        u8(0x08),
        u8(0x09) | u8(0x0a) << 8 | u8(0x0b) << 16,
        layout,
        (headerType & 0x80) != 0,
        ssv,
        ssd,
        capPtr,
        u8(0x3c),
        u8(0x3d),
        buses);
  }

  // ---- standard capabilities ---------------------------------------------------------------

  private List<Capability> capabilities(ConfigHeader header) {
    List<Capability> caps = new ArrayList<>();
    if (!header.hasCapabilityList() || header.layout() > 2) {
      return caps;
    }
    boolean[] visited = new boolean[CONVENTIONAL_SIZE];
    // the low two bits of a pointer are reserved (PCI 3.0 6.7); Linux and lspci mask them
    int where = header.capabilitiesPointer() & ~3;
    int from = header.layout() == 2 ? 0x14 : 0x34;
    while (where != 0) {
      if (where < HEADER_SIZE) {
        finding(
            Kind.CAP_POINTER_INTO_HEADER,
            from,
            String.format(
                Locale.ROOT,
                "capability pointer at %#x points into the header (%#x); chain ends",
                from,
                where));
        break;
      }
      if (where + 2 > len) {
        finding(
            Kind.CAP_PAST_END,
            from,
            String.format(
                Locale.ROOT,
                "capability at %#x lies past the %d readable bytes; chain ends",
                where,
                len));
        break;
      }
      if (visited[where]) {
        finding(
            Kind.CAP_LOOP,
            where,
            String.format(Locale.ROOT, "capability chain loops back to %#x; chain ends", where));
        break;
      }
      if (caps.size() >= MAX_CAPS) {
        finding(Kind.CAP_TOO_MANY, where, "more than " + MAX_CAPS + " capabilities; chain ends");
        break;
      }
      visited[where] = true;
      int id = u8(where);
      if (id == 0xff) {
        // lspci: "<chain broken>"; an all-ones ID usually means the device stopped answering
        finding(
            Kind.CAP_CHAIN_BROKEN,
            where,
            String.format(Locale.ROOT, "capability at %#x has ID 0xff: chain broken", where));
        break;
      }
      caps.add(capability(id, where));
      from = where + 1;
      where = u8(where + 1) & ~3;
    }
    return caps;
  }

  private Capability capability(int id, int at) {
    int flags = len >= at + 4 ? u16(at + 2) : 0;
    Capability decoded =
        switch (id) {
          case 0x01 -> readable(at, 8) ? pm(at) : null;
          case 0x05 -> readable(at, 4) ? msi(at) : null;
          case 0x11 -> readable(at, 12) ? msix(at) : null;
          case 0x10 -> readable(at, 0x14) ? express(at) : null;
          case 0x0d ->
              readable(at, 8) ? new Capability.SubsystemId(at, u16(at + 4), u16(at + 6)) : null;
          default -> new Capability.Other(at, id, flags);
        };
    if (decoded == null) {
      finding(
          Kind.CAP_TRUNCATED,
          at,
          String.format(
              Locale.ROOT,
              "%s capability at %#x is cut off by the end of readable data",
              CapabilityNames.standard(id),
              at));
      return new Capability.Other(at, id, flags);
    }
    return decoded;
  }

  private Capability pm(int at) {
    return new Capability.PowerManagement(at, u16(at + 2), u16(at + 4));
  }

  private Capability msi(int at) {
    int ctl = u16(at + 2);
    return new Capability.Msi(
        at,
        (ctl & 1) != 0,
        (ctl & 0x80) != 0,
        (ctl & 0x100) != 0,
        1 << (ctl >> 1 & 7),
        1 << (ctl >> 4 & 7));
  }

  private Capability msix(int at) {
    int ctl = u16(at + 2);
    int table = u32(at + 4);
    int pba = u32(at + 8);
    return new Capability.MsiX(
        at,
        (ctl & 0x8000) != 0,
        (ctl & 0x4000) != 0,
        (ctl & 0x7ff) + 1,
        table & 7,
        table & ~7,
        pba & 7,
        pba & ~7);
  }

  private Capability express(int at) {
    int flags = u16(at + 2);
    PciePortType type = PciePortType.of(flags >> 4 & 0xf);
    int devcap = u32(at + 4);
    Optional<PcieLink> link = Optional.empty();
    // RCiEPs and event collectors have no link (lspci ls-caps.c cap_express: link = 0)
    boolean hasLink =
        type != PciePortType.ROOT_COMPLEX_INTEGRATED_ENDPOINT
            && type != PciePortType.ROOT_COMPLEX_EVENT_COLLECTOR;
    if (hasLink) {
      int lnkcap = u32(at + 0x0c);
      int lnksta = u16(at + 0x12);
      link =
          Optional.of(
              new PcieLink(
                  lnkcap >>> 24,
                  lnkcap & 0xf,
                  lnkcap >> 4 & 0x3f,
                  lnkcap >> 10 & 3,
                  lnksta & 0xf,
                  lnksta >> 4 & 0x3f,
                  (lnksta & 0x2000) != 0));
    }
    return new Capability.Express(
        at,
        flags & 0xf,
        type,
        (flags & 0x100) != 0,
        flags >> 9 & 0x1f,
        devcap,
        128 << (devcap & 7),
        (devcap & (1 << 28)) != 0,
        link);
  }

  // ---- extended capabilities ---------------------------------------------------------------

  private List<ExtendedCapability> extendedCapabilities() {
    List<ExtendedCapability> caps = new ArrayList<>();
    boolean[] visited = new boolean[EXTENDED_SIZE];
    int where = CONVENTIONAL_SIZE;
    int from = -1;
    while (true) {
      if (where < CONVENTIONAL_SIZE) {
        finding(
            Kind.EXT_CAP_POINTER_INVALID,
            from,
            String.format(
                Locale.ROOT,
                "extended capability at %#x points to %#x, below 0x100; chain ends",
                from,
                where));
        break;
      }
      if (where + 4 > len) {
        finding(
            Kind.EXT_CAP_PAST_END,
            from,
            String.format(
                Locale.ROOT,
                "extended capability at %#x lies past the %d readable bytes; chain ends",
                where,
                len));
        break;
      }
      if (visited[where]) {
        finding(
            Kind.EXT_CAP_LOOP,
            where,
            String.format(
                Locale.ROOT, "extended capability chain loops back to %#x; chain ends", where));
        break;
      }
      if (caps.size() >= MAX_EXT_CAPS) {
        finding(
            Kind.EXT_CAP_TOO_MANY,
            where,
            "more than " + MAX_EXT_CAPS + " extended capabilities; chain ends");
        break;
      }
      visited[where] = true;
      int header = u32(where);
      // 0: no extended capabilities; all ones: none either (conventional device behind a
      // PCIe-capable host bridge, or not answering). lspci ls-ecaps.c stops on both.
      if (header == 0 || header == 0xffffffff) {
        break;
      }
      caps.add(extendedCapability(header & 0xffff, header >>> 16 & 0xf, where));
      int next = header >>> 20 & ~3;
      if (next == 0) {
        break;
      }
      from = where;
      where = next;
    }
    return caps;
  }

  private ExtendedCapability extendedCapability(int id, int version, int at) {
    ExtendedCapability decoded =
        switch (id) {
          case 0x0010 -> readable(at, 0x24) ? sriov(at, version) : null;
          case 0x000d -> readable(at, 8) ? acs(at, version) : null;
          case 0x000e -> readable(at, 8) ? ari(at, version) : null;
          case 0x0001 -> readable(at, 0x1c) ? aer(at, version) : null;
          case 0x000f -> readable(at, 8) ? ats(at, version) : null;
          case 0x001b -> readable(at, 8) ? pasid(at, version) : null;
          case 0x0013 -> readable(at, 0x10) ? pri(at, version) : null;
          case 0x0003 ->
              readable(at, 12)
                  ? new ExtendedCapability.Dsn(
                      at, version, (u32(at + 4) & 0xffffffffL) | (long) u32(at + 8) << 32)
                  : null;
          default -> new ExtendedCapability.Other(at, id, version);
        };
    if (decoded == null) {
      finding(
          Kind.EXT_CAP_TRUNCATED,
          at,
          String.format(
              Locale.ROOT,
              "%s at %#x is cut off by the end of readable data",
              CapabilityNames.extended(id),
              at));
      return new ExtendedCapability.Other(at, id, version);
    }
    return decoded;
  }

  private ExtendedCapability sriov(int at, int version) {
    return new ExtendedCapability.Sriov(
        at,
        version,
        u32(at + 0x04),
        u16(at + 0x08),
        u16(at + 0x0a),
        u16(at + 0x0c),
        u16(at + 0x0e),
        u16(at + 0x10),
        u8(at + 0x12),
        u16(at + 0x14),
        u16(at + 0x16),
        u16(at + 0x1a),
        u32(at + 0x1c),
        u32(at + 0x20));
  }

  private ExtendedCapability acs(int at, int version) {
    int cap = u16(at + 4);
    return new ExtendedCapability.Acs(
        at, version, new AcsFlags(cap & 0x7f), new AcsFlags(u16(at + 6) & 0x7f), cap >> 8 & 0xff);
  }

  private ExtendedCapability ari(int at, int version) {
    int cap = u16(at + 4);
    int ctl = u16(at + 6);
    return new ExtendedCapability.Ari(
        at,
        version,
        (cap & 1) != 0,
        (cap & 2) != 0,
        cap >> 8 & 0xff,
        (ctl & 1) != 0,
        (ctl & 2) != 0,
        ctl >> 4 & 7);
  }

  private ExtendedCapability aer(int at, int version) {
    return new ExtendedCapability.Aer(
        at,
        version,
        u32(at + 0x04),
        u32(at + 0x08),
        u32(at + 0x0c),
        u32(at + 0x10),
        u32(at + 0x14),
        u32(at + 0x18));
  }

  private ExtendedCapability ats(int at, int version) {
    int cap = u16(at + 4);
    int ctl = u16(at + 6);
    return new ExtendedCapability.Ats(
        at, version, cap & 0x1f, (cap & 0x20) != 0, (ctl & 0x8000) != 0, ctl & 0x1f);
  }

  private ExtendedCapability pasid(int at, int version) {
    int cap = u16(at + 4);
    int ctl = u16(at + 6);
    return new ExtendedCapability.Pasid(
        at,
        version,
        (cap & 2) != 0,
        (cap & 4) != 0,
        cap >> 8 & 0x1f,
        (ctl & 1) != 0,
        (ctl & 2) != 0,
        (ctl & 4) != 0);
  }

  private ExtendedCapability pri(int at, int version) {
    return new ExtendedCapability.Pri(
        at, version, u16(at + 4), u16(at + 6), u32(at + 8), u32(at + 12));
  }

  // ---- bytes -----------------------------------------------------------------------------

  private boolean allOnes(int n) {
    for (int i = 0; i < n; i++) {
      if (data[i] != (byte) 0xff) {
        return false;
      }
    }
    return true;
  }

  private boolean readable(int at, int size) {
    return at + size <= len;
  }

  private void finding(Kind kind, int offset, String message) {
    findings.add(new ConfigFinding(kind, offset, message));
  }

  private int u8(int off) {
    return data[off] & 0xff;
  }

  private int u16(int off) {
    return u8(off) | u8(off + 1) << 8;
  }

  private int u32(int off) {
    return u16(off) | u16(off + 2) << 16;
  }
}
