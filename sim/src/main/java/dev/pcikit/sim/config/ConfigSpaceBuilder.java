package dev.pcikit.sim.config;

import dev.pcikit.core.config.PciePortType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds PCI configuration-space bytes (little-endian, as sysfs {@code config} returns them) for
 * tests and demo hosts.
 *
 * <p>Standard capabilities are laid out from 0x40 in the order they are added and chained through
 * the capabilities pointer (0x34); the Capabilities List bit of STATUS is set when there is at
 * least one. Extended capabilities are laid out from 0x100 in the order added. Register layouts
 * follow the PCI Local Bus 3.0 and PCI Express Base specifications (the same offsets as Linux
 * include/uapi/linux/pci_regs.h). {@link #poke8}/{@link #poke16}/{@link #poke32}/{@link #raw} write
 * over the finished layout, for deliberately bad or custom data.
 *
 * <pre>{@code
 * byte[] cfg = ConfigSpaceBuilder.endpoint(0x8086, 0x1572)
 *     .classCode(0x020000)
 *     .express(PciePortType.ENDPOINT).link(3, 8, 3, 8).flr(true)
 *     .msix(64, true)
 *     .sriov(ConfigSpaceBuilder.sriov(64, 0x154c).numVfs(4).offset(16).stride(1))
 *     .ari(0)
 *     .build();
 * }</pre>
 */
public final class ConfigSpaceBuilder {
  /** Conventional PCI config space size. */
  public static final int CONVENTIONAL_SIZE = 256;

  /** PCI Express extended config space size. */
  public static final int EXPRESS_SIZE = 4096;

  private final int headerType;
  private int vendor;
  private int device;
  private int size = EXPRESS_SIZE;
  private int command = 0x0006; // memory space + bus master, as an enabled device reads
  private int status = 0x0000;
  private int classCode;
  private int revision;
  private boolean multifunction;
  private int subsystemVendor;
  private int subsystemDevice;
  private int interruptPin = 1;
  private int interruptLine = 0x0b;
  private int primaryBus;
  private int secondaryBus;
  private int subordinateBus;
  private final List<Cap> caps = new ArrayList<>();
  private final List<Cap> extCaps = new ArrayList<>();
  private final List<Poke> pokes = new ArrayList<>();
  // the PCIe capability, kept so that link()/flr() can adjust it after express()
  private Express express;

  private ConfigSpaceBuilder(int headerType, int vendor, int device) {
    this.headerType = headerType;
    this.vendor = vendor;
    this.device = device;
    this.classCode = headerType == 1 ? 0x060400 : 0x000000;
  }

  /** A type 0 (endpoint) header, 4096 bytes unless {@link #conventional()} is called. */
  public static ConfigSpaceBuilder endpoint(int vendor, int device) {
    return new ConfigSpaceBuilder(0, vendor, device);
  }

  /** A type 1 (PCI-to-PCI bridge) header, class 0x060400. */
  public static ConfigSpaceBuilder bridge(int vendor, int device) {
    return new ConfigSpaceBuilder(1, vendor, device);
  }

  /**
   * Makes this an SR-IOV VF as its config reads: Vendor and Device ID read ffff and Memory Space
   * Enable reads 0 (PCIe SR-IOV spec 3.4.1; the kernel takes the IDs from the PF). Call after any
   * {@link #command}.
   */
  public ConfigSpaceBuilder virtualFunction() {
    this.vendor = 0xffff;
    this.device = 0xffff;
    this.command &= ~0x2;
    return this;
  }

  /** A 256-byte conventional PCI config space (no extended capabilities). */
  public ConfigSpaceBuilder conventional() {
    this.size = CONVENTIONAL_SIZE;
    return this;
  }

  /** Total size of the produced array (any size; the decoder treats short data as truncated). */
  public ConfigSpaceBuilder size(int size) {
    this.size = size;
    return this;
  }

  public ConfigSpaceBuilder command(int command) {
    this.command = command;
    return this;
  }

  /** STATUS register; the Capabilities List bit (0x10) is forced on when capabilities exist. */
  public ConfigSpaceBuilder status(int status) {
    this.status = status;
    return this;
  }

  /** 24-bit class code: base class, subclass, programming interface (e.g. 0x010802 for NVMe). */
  public ConfigSpaceBuilder classCode(int classCode) {
    this.classCode = classCode;
    return this;
  }

  public ConfigSpaceBuilder revision(int revision) {
    this.revision = revision;
    return this;
  }

  /** Sets bit 7 of the header type register. */
  public ConfigSpaceBuilder multifunction(boolean multifunction) {
    this.multifunction = multifunction;
    return this;
  }

  /**
   * Subsystem IDs: at 0x2c for type 0; for a bridge, a Subsystem ID capability (0x0d), where
   * bridges keep them.
   */
  public ConfigSpaceBuilder subsystem(int subsystemVendor, int subsystemDevice) {
    this.subsystemVendor = subsystemVendor;
    this.subsystemDevice = subsystemDevice;
    if (headerType == 1) {
      Cap c = new Cap(0x0d, 8);
      c.put32(4, subsystemDevice << 16 | subsystemVendor);
      caps.add(c);
    }
    return this;
  }

  /** Interrupt pin (0 none, 1 INTA .. 4 INTD) and line. */
  public ConfigSpaceBuilder interrupt(int pin, int line) {
    this.interruptPin = pin;
    this.interruptLine = line;
    return this;
  }

  /** Bridge bus numbers (type 1 only; ignored for endpoints). */
  public ConfigSpaceBuilder buses(int primary, int secondary, int subordinate) {
    this.primaryBus = primary;
    this.secondaryBus = secondary;
    this.subordinateBus = subordinate;
    return this;
  }

  // ---- standard capabilities ------------------------------------------------------------

  /** Power Management capability v3, D0, supports D3hot PME. */
  public ConfigSpaceBuilder powerManagement() {
    Cap c = new Cap(0x01, 8);
    c.put16(2, 0x0003 | 0xc800); // version 3, PME from D0 and D3hot
    c.put16(4, 0x0008); // PMCSR: D0, No_Soft_Reset
    caps.add(c);
    return this;
  }

  /**
   * MSI capability.
   *
   * @param is64 64-bit message address
   * @param log2Vectors multiple message capable (0 = 1 vector .. 5 = 32 vectors)
   * @param maskable per-vector masking
   * @param enabled MSI Enable bit
   */
  public ConfigSpaceBuilder msi(boolean is64, int log2Vectors, boolean maskable, boolean enabled) {
    Cap c = new Cap(0x05, 0x18);
    int ctl =
        (enabled ? 1 : 0) | (log2Vectors & 7) << 1 | (is64 ? 0x80 : 0) | (maskable ? 0x100 : 0);
    c.put16(2, ctl);
    caps.add(c);
    return this;
  }

  /** MSI-X capability with a table of {@code tableSize} entries (1..2048) in BAR 0. */
  public ConfigSpaceBuilder msix(int tableSize, boolean enabled) {
    Cap c = new Cap(0x11, 12);
    c.put16(2, ((tableSize - 1) & 0x7ff) | (enabled ? 0x8000 : 0));
    c.put32(4, 0x0000_2000); // table at BAR0 + 0x2000
    c.put32(8, 0x0000_3000); // PBA at BAR0 + 0x3000
    caps.add(c);
    return this;
  }

  /**
   * PCI Express capability (v2) of the given device/port type; link defaults to 8 GT/s (speed 3)
   * x4, trained at the same; slot implemented for root and downstream ports.
   */
  public ConfigSpaceBuilder express(PciePortType type) {
    express = new Express(type);
    caps.add(express.cap);
    express.apply();
    return this;
  }

  /**
   * Link capabilities and status. Speeds are the register encoding: 1 = 2.5 GT/s, 2 = 5, 3 = 8, 4 =
   * 16, 5 = 32, 6 = 64. Widths are lane counts (1, 2, 4, 8, 16, 32).
   */
  public ConfigSpaceBuilder link(int maxSpeed, int maxWidth, int speed, int width) {
    requireExpress();
    express.maxSpeed = maxSpeed;
    express.maxWidth = maxWidth;
    express.speed = speed;
    express.width = width;
    express.apply();
    return this;
  }

  /** Function Level Reset capability bit in DevCap (bit 28). */
  public ConfigSpaceBuilder flr(boolean flr) {
    requireExpress();
    express.flr = flr;
    express.apply();
    return this;
  }

  /** Slot Implemented bit of the PCIe capabilities register. */
  public ConfigSpaceBuilder slot(boolean slot) {
    requireExpress();
    express.slot = slot;
    express.apply();
    return this;
  }

  /** A standard capability with arbitrary body; {@code body[0..1]} are overwritten by ID/next. */
  public ConfigSpaceBuilder capability(int id, byte[] body) {
    Cap c = new Cap(id, Math.max(body.length, 2));
    System.arraycopy(body, 0, c.bytes, 0, body.length);
    caps.add(c);
    return this;
  }

  // ---- extended capabilities --------------------------------------------------------------

  /**
   * Starts an SR-IOV capability description: {@code totalVfs} VFs with device ID {@code vfDevice}.
   */
  public static Sriov sriov(int totalVfs, int vfDevice) {
    return new Sriov(totalVfs, vfDevice);
  }

  /** SR-IOV extended capability (0x0010, v1). */
  public ConfigSpaceBuilder sriov(Sriov s) {
    Cap c = new Cap(0x0010, 1, 0x40);
    c.put32(0x04, s.capabilities);
    c.put16(0x08, s.control);
    c.put16(0x0c, s.initialVfs < 0 ? s.totalVfs : s.initialVfs);
    c.put16(0x0e, s.totalVfs);
    c.put16(0x10, s.numVfs);
    c.put8(0x12, s.functionDependencyLink);
    c.put16(0x14, s.offset);
    c.put16(0x16, s.stride);
    c.put16(0x1a, s.vfDevice);
    c.put32(0x1c, s.supportedPageSizes);
    c.put32(0x20, s.systemPageSize);
    extCaps.add(c);
    return this;
  }

  /** ACS bit: Source Validation. */
  public static final int ACS_SV = 0x01;

  /** ACS bit: Translation Blocking. */
  public static final int ACS_TB = 0x02;

  /** ACS bit: P2P Request Redirect. */
  public static final int ACS_RR = 0x04;

  /** ACS bit: P2P Completion Redirect. */
  public static final int ACS_CR = 0x08;

  /** ACS bit: Upstream Forwarding. */
  public static final int ACS_UF = 0x10;

  /** ACS bit: P2P Egress Control. */
  public static final int ACS_EC = 0x20;

  /** ACS bit: Direct Translated P2P. */
  public static final int ACS_DT = 0x40;

  /** ACS extended capability (0x000d): capability and control bits ({@code ACS_*}). */
  public ConfigSpaceBuilder acs(int capabilities, int control) {
    Cap c = new Cap(0x000d, 1, 8);
    c.put16(4, capabilities);
    c.put16(6, control);
    extCaps.add(c);
    return this;
  }

  /** ARI extended capability (0x000e) with the given Next Function Number. */
  public ConfigSpaceBuilder ari(int nextFunction) {
    Cap c = new Cap(0x000e, 1, 8);
    c.put16(4, (nextFunction & 0xff) << 8);
    extCaps.add(c);
    return this;
  }

  /** AER extended capability (0x0001, v2), all errors clear, 0x48 bytes (with root registers). */
  public ConfigSpaceBuilder aer() {
    return aer(0, 0);
  }

  /** AER with errors logged: Uncorrectable and Correctable Error Status registers. */
  public ConfigSpaceBuilder aer(int uncorrectableStatus, int correctableStatus) {
    Cap c = new Cap(0x0001, 2, 0x48);
    c.put32(0x04, uncorrectableStatus);
    c.put32(0x10, correctableStatus);
    c.put32(0x0c, 0x0046_2030); // default uncorrectable severity
    c.put32(0x14, 0x0000_e000); // correctable mask: advisory non-fatal etc.
    c.put32(0x18, 0x0000_00a0); // ECRC gen/check capable
    extCaps.add(c);
    return this;
  }

  /** ATS extended capability (0x000f): invalidate queue depth (0 means 32), enable bit. */
  public ConfigSpaceBuilder ats(int invalidateQueueDepth, boolean enabled) {
    Cap c = new Cap(0x000f, 1, 8);
    c.put16(4, invalidateQueueDepth & 0x1f | 0x20);
    c.put16(6, enabled ? 0x8000 : 0);
    extCaps.add(c);
    return this;
  }

  /** PASID extended capability (0x001b): max PASID width (bits), enable bit. */
  public ConfigSpaceBuilder pasid(int maxWidth, boolean enabled) {
    Cap c = new Cap(0x001b, 1, 8);
    c.put16(4, (maxWidth & 0x1f) << 8 | 0x06); // exec + privileged supported
    c.put16(6, enabled ? 1 : 0);
    extCaps.add(c);
    return this;
  }

  /** PRI extended capability (0x0013): outstanding page request capacity, enable bit. */
  public ConfigSpaceBuilder pri(int capacity, boolean enabled) {
    Cap c = new Cap(0x0013, 1, 0x10);
    c.put16(4, enabled ? 1 : 0);
    c.put16(6, 0x0100); // stopped
    c.put32(8, capacity);
    extCaps.add(c);
    return this;
  }

  /** Device Serial Number extended capability (0x0003). */
  public ConfigSpaceBuilder dsn(long serial) {
    Cap c = new Cap(0x0003, 1, 12);
    c.put32(4, (int) serial);
    c.put32(8, (int) (serial >>> 32));
    extCaps.add(c);
    return this;
  }

  /**
   * An extended capability with arbitrary body; {@code body[0..3]} are overwritten by the header.
   */
  public ConfigSpaceBuilder extendedCapability(int id, int version, byte[] body) {
    Cap c = new Cap(id, version, Math.max(body.length, 4));
    System.arraycopy(body, 0, c.bytes, 0, body.length);
    extCaps.add(c);
    return this;
  }

  // ---- raw escape hatch -----------------------------------------------------------------

  /** Writes {@code bytes} at {@code offset} after layout (ignored past the end). */
  public ConfigSpaceBuilder raw(int offset, byte... bytes) {
    pokes.add(new Poke(offset, bytes.clone()));
    return this;
  }

  public ConfigSpaceBuilder poke8(int offset, int value) {
    return raw(offset, (byte) value);
  }

  public ConfigSpaceBuilder poke16(int offset, int value) {
    return raw(offset, (byte) value, (byte) (value >> 8));
  }

  public ConfigSpaceBuilder poke32(int offset, int value) {
    return raw(
        offset, (byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24));
  }

  /** Offset at which the {@code index}-th added standard capability is placed. */
  public int capabilityOffset(int index) {
    return layoutStandard()[index];
  }

  /** Offset at which the {@code index}-th added extended capability is placed. */
  public int extendedCapabilityOffset(int index) {
    return layoutExtended()[index];
  }

  // ---- build -----------------------------------------------------------------------------

  public byte[] build() {
    byte[] full = new byte[Math.max(size, EXPRESS_SIZE)];
    Buf b = new Buf(full);
    b.put16(0x00, vendor);
    b.put16(0x02, device);
    b.put16(0x04, command);
    b.put16(0x06, caps.isEmpty() ? status : status | 0x10);
    b.put8(0x08, revision);
    b.put8(0x09, classCode);
    b.put8(0x0a, classCode >> 8);
    b.put8(0x0b, classCode >> 16);
    b.put8(0x0e, headerType | (multifunction ? 0x80 : 0));
    if (headerType == 1) {
      b.put8(0x18, primaryBus);
      b.put8(0x19, secondaryBus);
      b.put8(0x1a, subordinateBus);
      // empty I/O and memory windows (base > limit) so lspci prints them as [disabled]
      b.put8(0x1c, 0xf0);
      b.put16(0x20, 0xfff0);
      b.put16(0x24, 0xfff1);
      b.put16(0x24 + 2, 0x0001);
    } else {
      b.put16(0x2c, subsystemVendor);
      b.put16(0x2e, subsystemDevice);
    }
    b.put8(0x3c, interruptLine);
    b.put8(0x3d, interruptPin);

    int[] offs = layoutStandard();
    b.put8(0x34, caps.isEmpty() ? 0 : offs[0]);
    for (int i = 0; i < caps.size(); i++) {
      Cap c = caps.get(i);
      System.arraycopy(c.bytes, 0, full, offs[i], c.bytes.length);
      b.put8(offs[i], c.id);
      b.put8(offs[i] + 1, i + 1 < caps.size() ? offs[i + 1] : 0);
    }
    int[] eoffs = layoutExtended();
    for (int i = 0; i < extCaps.size(); i++) {
      Cap c = extCaps.get(i);
      System.arraycopy(c.bytes, 0, full, eoffs[i], c.bytes.length);
      int next = i + 1 < extCaps.size() ? eoffs[i + 1] : 0;
      b.put32(eoffs[i], c.id | (c.version & 0xf) << 16 | next << 20);
    }
    for (Poke p : pokes) {
      for (int i = 0; i < p.bytes.length && p.offset + i < full.length; i++) {
        full[p.offset + i] = p.bytes[i];
      }
    }
    return Arrays.copyOf(full, size);
  }

  private int[] layoutStandard() {
    int[] offs = new int[caps.size()];
    int at = 0x40;
    for (int i = 0; i < caps.size(); i++) {
      offs[i] = at;
      at = (at + caps.get(i).bytes.length + 3) & ~3;
    }
    if (at > 0x100) {
      throw new IllegalStateException("standard capabilities overflow 256 bytes");
    }
    return offs;
  }

  private int[] layoutExtended() {
    int[] offs = new int[extCaps.size()];
    int at = 0x100;
    for (int i = 0; i < extCaps.size(); i++) {
      offs[i] = at;
      at = (at + extCaps.get(i).bytes.length + 3) & ~3;
    }
    if (at > EXPRESS_SIZE) {
      throw new IllegalStateException("extended capabilities overflow 4096 bytes");
    }
    return offs;
  }

  private void requireExpress() {
    if (express == null) {
      throw new IllegalStateException("call express(type) first");
    }
  }

  /** SR-IOV capability fields; defaults: NumVFs 0, offset 1, stride 1, page sizes 0x553. */
  public static final class Sriov {
    private final int totalVfs;
    private final int vfDevice;
    private int initialVfs = -1;
    private int numVfs;
    private int offset = 1;
    private int stride = 1;
    private int capabilities;
    private int control;
    private int functionDependencyLink;
    private int supportedPageSizes = 0x553; // 4K, 8K, 64K, 256K, 1M, 4M as QEMU/igb report
    private int systemPageSize = 1; // 4K

    private Sriov(int totalVfs, int vfDevice) {
      this.totalVfs = totalVfs;
      this.vfDevice = vfDevice;
    }

    public Sriov initialVfs(int v) {
      this.initialVfs = v;
      return this;
    }

    /** NumVFs; a non-zero value also sets VF Enable and VF MSE, as the kernel does. */
    public Sriov numVfs(int v) {
      this.numVfs = v;
      if (v > 0) {
        control |= 0x0001 | 0x0008;
      }
      return this;
    }

    public Sriov offset(int v) {
      this.offset = v;
      return this;
    }

    public Sriov stride(int v) {
      this.stride = v;
      return this;
    }

    /** SR-IOV Capabilities register (bit 0 VF Migration, bit 1 ARI Capable Hierarchy Preserved). */
    public Sriov capabilities(int v) {
      this.capabilities = v;
      return this;
    }

    /** SR-IOV Control register (bit 0 VF Enable, bit 3 VF MSE, bit 4 ARI Capable Hierarchy). */
    public Sriov control(int v) {
      this.control = v;
      return this;
    }

    public Sriov functionDependencyLink(int v) {
      this.functionDependencyLink = v;
      return this;
    }

    public Sriov supportedPageSizes(int v) {
      this.supportedPageSizes = v;
      return this;
    }

    public Sriov systemPageSize(int v) {
      this.systemPageSize = v;
      return this;
    }
  }

  private final class Express {
    final Cap cap = new Cap(0x10, 0x3c);
    final PciePortType type;
    int maxSpeed = 3;
    int maxWidth = 4;
    int speed = 3;
    int width = 4;
    boolean flr;
    boolean slot;

    Express(PciePortType type) {
      this.type = type;
      this.slot = type.isDownstreamFacing();
    }

    void apply() {
      int code = type == PciePortType.UNKNOWN ? 0xf : type.code();
      cap.put16(0x02, 0x0002 | code << 4 | (slot ? 0x100 : 0));
      cap.put32(0x04, 0x0000_8000 | 0x02 | (flr ? 1 << 28 : 0)); // RBE, MaxPayload 512
      cap.put16(0x08, 0x2810); // MaxPayload 128, MaxReadReq 512, ExtTag, RlxdOrd off
      cap.put32(0x0c, maxSpeed & 0xf | (maxWidth & 0x3f) << 4);
      cap.put16(0x12, speed & 0xf | (width & 0x3f) << 4 | (type.isDownstreamFacing() ? 0x2000 : 0));
      int speedsVector = 0;
      for (int s = 1; s <= maxSpeed && s <= 7; s++) {
        speedsVector |= 1 << s;
      }
      cap.put32(0x2c, speedsVector); // LinkCap2 supported link speeds vector
      cap.put16(0x30, maxSpeed & 0xf); // LinkCtl2 target speed
    }
  }

  private static class Cap extends Buf {
    final int id;
    final int version;

    Cap(int id, int size) {
      this(id, 0, size);
    }

    Cap(int id, int version, int size) {
      super(new byte[size]);
      this.id = id;
      this.version = version;
    }
  }

  private static class Buf {
    final byte[] bytes;

    Buf(byte[] bytes) {
      this.bytes = bytes;
    }

    void put8(int off, int v) {
      bytes[off] = (byte) v;
    }

    void put16(int off, int v) {
      put8(off, v);
      put8(off + 1, v >> 8);
    }

    void put32(int off, int v) {
      put16(off, v);
      put16(off + 2, v >> 16);
    }
  }

  private record Poke(int offset, byte[] bytes) {}
}
