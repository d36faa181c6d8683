package dev.pcikit.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ConfigSpace} as human-readable lines for {@code pcikit show}. Pure function.
 *
 * <p>Lines for the registers lspci also decodes (Control, Status, Bus, SR-IOV, ACS, ARI, ATS,
 * PASID, PRI, DSN, MSI, MSI-X, PM, LnkSta) use lspci -vvv's wording and flag style ({@code Name+} /
 * {@code Name-}, pciutils ls-caps.c / ls-ecaps.c), so admins can compare the two. Top-level lines
 * carry no indent; detail lines start with one tab per level.
 */
public final class ConfigRenderer {
  private ConfigRenderer() {}

  /**
   * Rendering options.
   *
   * @param virtualFunction the caller knows this function is an SR-IOV VF: its COMMAND Memory Space
   *     bit is hard-wired to 0 by design and is not reported as disabled
   */
  public record Options(boolean virtualFunction) {
    public static final Options DEFAULT = new Options(false);
  }

  public static String render(ConfigSpace cs) {
    return render(cs, Options.DEFAULT);
  }

  public static String render(ConfigSpace cs, Options options) {
    return String.join("\n", lines(cs, options)) + "\n";
  }

  public static List<String> lines(ConfigSpace cs, Options options) {
    List<String> out = new ArrayList<>();
    switch (cs.coverage()) {
      case NOT_RESPONDING ->
          out.add(
              "Config space: not responding (vendor ID reads ffff: device removed, powered off"
                  + " or frozen by EEH); nothing decoded");
      case TRUNCATED ->
          out.add(
              "Config space: truncated ("
                  + cs.readableBytes()
                  + " bytes readable); nothing decoded");
      case HEADER_ONLY ->
          out.add(
              "Config space: "
                  + cs.readableBytes()
                  + " bytes readable (header only; capabilities need root)");
      case PARTIAL ->
          out.add("Config space: " + cs.readableBytes() + " bytes readable (truncated)");
      case CONVENTIONAL ->
          out.add("Config space: " + cs.readableBytes() + " bytes readable (no extended space)");
      case EXTENDED ->
          out.add("Config space: " + cs.readableBytes() + " bytes readable (extended)");
    }
    cs.header().ifPresent(h -> header(h, options, out));
    if (cs.coverage() == ConfigCoverage.HEADER_ONLY) {
      out.add(
          "Capabilities: <access denied> (only "
              + cs.readableBytes()
              + " bytes readable; run as root)");
    }
    for (Capability c : cs.capabilities()) {
      capability(c, out);
    }
    for (ExtendedCapability c : cs.extendedCapabilities()) {
      extended(c, out);
    }
    for (ConfigFinding f : cs.findings()) {
      if (f.kind() == ConfigFinding.Kind.NEEDS_ROOT
          || f.kind() == ConfigFinding.Kind.NOT_RESPONDING
          || f.kind() == ConfigFinding.Kind.TRUNCATED) {
        continue; // already said on the first line
      }
      if (f.kind() == ConfigFinding.Kind.IDS_ALL_ONES && options.virtualFunction()) {
        continue; // said on the Header line
      }
      String label =
          switch (f.severity()) {
            case INFO -> "Note";
            case WARNING -> "Warning";
            case ERROR -> "Error";
          };
      out.add(label + ": " + f.message());
    }
    return out;
  }

  // ---- header ----------------------------------------------------------------------------

  private static void header(ConfigHeader h, Options options, List<String> out) {
    String layout =
        switch (h.layout()) {
          case 0 -> "0 (endpoint)";
          case 1 -> "1 (PCI-to-PCI bridge)";
          case 2 -> "2 (CardBus bridge)";
          default -> String.format(Locale.ROOT, "%#x (unknown)", h.layout());
        };
    out.add(
        String.format(
            Locale.ROOT,
            "Header: type %s%s, ID %04x:%04x%s, class %06x, rev %02x",
            layout,
            h.multifunction() ? ", multifunction" : "",
            h.vendorId(),
            h.deviceId(),
            options.virtualFunction() && h.vendorId() == 0xffff
                ? " (VF: reads ffff by design; IDs come from the PF)"
                : "",
            h.classCode(),
            h.revision()));
    if (h.subsystemVendorId() >= 0) {
      out.add(
          String.format(
              Locale.ROOT,
              "Subsystem ID: %04x:%04x",
              h.subsystemVendorId(),
              h.subsystemDeviceId()));
    }
    CommandRegister c = h.command();
    String control =
        "Control: "
            + flags(
                "I/O Mem BusMaster SpecCycle MemWINV VGASnoop ParErr Stepping SERR FastB2B DisINTx",
                c.ioSpace(),
                c.memorySpace(),
                c.busMaster(),
                c.specialCycles(),
                c.memoryWriteInvalidate(),
                c.vgaSnoop(),
                c.parityErrorResponse(),
                c.stepping(),
                c.serr(),
                c.fastBackToBack(),
                c.intxDisabled());
    if (options.virtualFunction() && !c.memorySpace()) {
      // SR-IOV spec: a VF's Memory Space Enable is RO 0; the PF's VF MSE enables VF BARs
      control += " (VF: Mem- by design; memory decoding follows the PF's VF MSE)";
    }
    out.add(control);
    int s = h.status();
    String devsel =
        switch (s & 0x600) {
          case 0x000 -> "fast";
          case 0x200 -> "medium";
          case 0x400 -> "slow";
          default -> "??";
        };
    out.add(
        "Status: "
            + bits(s, "Cap 66MHz UDF FastB2B ParErr", 0x10, 0x20, 0x40, 0x80, 0x100)
            + " DEVSEL="
            + devsel
            + " "
            + bits(
                s,
                ">TAbort <TAbort <MAbort >SERR <PERR INTx",
                0x800,
                0x1000,
                0x2000,
                0x4000,
                0x8000,
                0x08));
    h.buses()
        .ifPresent(
            b ->
                out.add(
                    String.format(
                        Locale.ROOT,
                        "Bus: primary=%02x, secondary=%02x, subordinate=%02x, sec-latency=%d",
                        b.primary(),
                        b.secondary(),
                        b.subordinate(),
                        b.secondaryLatency())));
  }

  // ---- standard capabilities ---------------------------------------------------------------

  private static void capability(Capability cap, List<String> out) {
    String at = String.format(Locale.ROOT, "Capabilities: [%02x] ", cap.offset());
    if (cap instanceof Capability.PowerManagement pm) {
      out.add(at + "Power Management version " + pm.version());
      int aux = pm.capabilities() >> 6 & 7;
      int[] auxMa = {0, 55, 100, 160, 220, 270, 320, 375};
      int pme = pm.pmeSupport();
      out.add(
          String.format(
              Locale.ROOT,
              "\tFlags: PMEClk%s DSI%s D1%s D2%s AuxCurrent=%dmA"
                  + " PME(D0%s,D1%s,D2%s,D3hot%s,D3cold%s)",
              f(pm.capabilities() & 0x8),
              f(pm.capabilities() & 0x20),
              f(pm.d1Support()),
              f(pm.d2Support()),
              auxMa[aux],
              f(pme & 1),
              f(pme & 2),
              f(pme & 4),
              f(pme & 8),
              f(pme & 16)));
      int cs = pm.controlStatus();
      out.add(
          String.format(
              Locale.ROOT,
              "\tStatus: D%d NoSoftRst%s PME-Enable%s DSel=%d DScale=%d PME%s",
              pm.powerState(),
              f(pm.noSoftReset()),
              f(pm.pmeEnabled()),
              cs >> 9 & 0xf,
              cs >> 13 & 3,
              f(pm.pmeStatus())));
    } else if (cap instanceof Capability.Msi msi) {
      out.add(
          String.format(
              Locale.ROOT,
              "%sMSI: Enable%s Count=%d/%d Maskable%s 64bit%s",
              at,
              f(msi.enabled()),
              msi.vectorsEnabled(),
              msi.vectorsCapable(),
              f(msi.maskable()),
              f(msi.is64Bit())));
    } else if (cap instanceof Capability.MsiX x) {
      out.add(
          String.format(
              Locale.ROOT,
              "%sMSI-X: Enable%s Count=%d Masked%s",
              at,
              f(x.enabled()),
              x.tableSize(),
              f(x.functionMasked())));
      out.add(
          String.format(
              Locale.ROOT, "\tVector table: BAR=%d offset=%08x", x.tableBar(), x.tableOffset()));
      out.add(String.format(Locale.ROOT, "\tPBA: BAR=%d offset=%08x", x.pbaBar(), x.pbaOffset()));
    } else if (cap instanceof Capability.Express e) {
      express(at, e, out);
    } else if (cap instanceof Capability.SubsystemId s) {
      out.add(
          String.format(
              Locale.ROOT,
              "%sSubsystem: %04x:%04x",
              at,
              s.subsystemVendorId(),
              s.subsystemDeviceId()));
    } else if (cap instanceof Capability.Other o) {
      out.add(at + o.name());
    }
  }

  private static void express(String at, Capability.Express e, List<String> out) {
    PciePortType t = e.portType();
    String type =
        switch (t) {
          case ROOT_PORT, DOWNSTREAM_PORT, PCI_TO_PCIE_BRIDGE ->
              t.lspciName() + " (Slot" + f(e.slotImplemented()) + ")";
          case UNKNOWN -> "Unknown type";
          default -> t.lspciName();
        };
    out.add(
        String.format(
            Locale.ROOT,
            "%sExpress (v%d) %s, MSI %02x",
            at,
            e.version(),
            type,
            e.interruptMessage()));
    out.add(
        String.format(
            Locale.ROOT, "\tDevCap:\tMaxPayload %d bytes, FLReset%s", e.maxPayload(), f(e.flr())));
    e.link()
        .ifPresent(
            l -> {
              out.add(
                  String.format(
                      Locale.ROOT,
                      "\tLnkCap:\tPort #%d, Speed %s, Width x%d, ASPM %s",
                      l.portNumber(),
                      l.maxSpeedName(),
                      l.maxWidth(),
                      aspm(l.aspmSupport())));
              out.add(
                  String.format(
                      Locale.ROOT,
                      "\tLnkSta:\tSpeed %s%s, Width x%d%s",
                      l.speedName(),
                      linkCompare(t, l.speed(), l.maxSpeed()),
                      l.width(),
                      linkCompare(t, l.width(), l.maxWidth())));
            });
  }

  private static String aspm(int code) {
    return switch (code) {
      case 0 -> "not supported";
      case 1 -> "L0s";
      case 2 -> "L1";
      default -> "L0s L1";
    };
  }

  /** lspci ls-caps.c link_compare: downstream-facing ports may train below their maximum. */
  private static String linkCompare(PciePortType type, int sta, int cap) {
    if (sta > cap) {
      return " (overdriven)";
    }
    if (sta == cap || type.isDownstreamFacing() || type == PciePortType.PCI_TO_PCIE_BRIDGE) {
      return "";
    }
    return " (downgraded)";
  }

  // ---- extended capabilities ---------------------------------------------------------------

  private static void extended(ExtendedCapability cap, List<String> out) {
    String at =
        String.format(Locale.ROOT, "Capabilities: [%03x v%d] ", cap.offset(), cap.version());
    if (cap instanceof ExtendedCapability.Sriov s) {
      out.add(at + s.name());
      out.add(
          String.format(
              Locale.ROOT,
              "\tIOVCap:\tMigration%s 10BitTagReq%s Interrupt Message Number: %03x",
              f(s.vfMigrationCapable()),
              f(s.vf10BitTagRequester()),
              s.migrationInterruptMessage()));
      out.add(
          String.format(
              Locale.ROOT,
              "\tIOVCtl:\tEnable%s Migration%s Interrupt%s MSE%s ARIHierarchy%s 10BitTagReq%s",
              f(s.vfEnable()),
              f(s.vfMigrationEnable()),
              f(s.vfMigrationInterruptEnable()),
              f(s.vfMemorySpaceEnable()),
              f(s.ariCapableHierarchy()),
              f(s.vf10BitTagRequesterEnable())));
      out.add("\tIOVSta:\tMigration" + f(s.migrationStatus()));
      out.add(
          String.format(
              Locale.ROOT,
              "\tInitial VFs: %d, Total VFs: %d, Number of VFs: %d,"
                  + " Function Dependency Link: %02x",
              s.initialVfs(),
              s.totalVfs(),
              s.numVfs(),
              s.functionDependencyLink()));
      out.add(
          String.format(
              Locale.ROOT,
              "\tVF offset: %d, stride: %d, Device ID: %04x",
              s.vfOffset(),
              s.vfStride(),
              s.vfDeviceId()));
      out.add(
          String.format(
              Locale.ROOT,
              "\tSupported Page Size: %08x, System Page Size: %08x",
              s.supportedPageSizes(),
              s.systemPageSize()));
    } else if (cap instanceof ExtendedCapability.Acs a) {
      out.add(at + a.name());
      out.add("\tACSCap:\t" + acs(a.capabilities()));
      out.add("\tACSCtl:\t" + acs(a.control()));
    } else if (cap instanceof ExtendedCapability.Ari a) {
      out.add(at + a.name());
      out.add(
          String.format(
              Locale.ROOT,
              "\tARICap:\tMFVC%s ACS%s, Next Function: %d",
              f(a.mfvcCapable()),
              f(a.acsCapable()),
              a.nextFunction()));
      out.add(
          String.format(
              Locale.ROOT,
              "\tARICtl:\tMFVC%s ACS%s, Function Group: %d",
              f(a.mfvcEnabled()),
              f(a.acsEnabled()),
              a.functionGroup()));
    } else if (cap instanceof ExtendedCapability.Aer a) {
      out.add(at + a.name());
      out.add("\tUESta:\t" + uncorrectable(a.uncorrectableStatus()));
      out.add("\tUEMsk:\t" + uncorrectable(a.uncorrectableMask()));
      out.add("\tUESvrt:\t" + uncorrectable(a.uncorrectableSeverity()));
      out.add("\tCESta:\t" + correctable(a.correctableStatus()));
      out.add("\tCEMsk:\t" + correctable(a.correctableMask()));
    } else if (cap instanceof ExtendedCapability.Ats a) {
      out.add(at + a.name());
      out.add(
          String.format(
              Locale.ROOT, "\tATSCap:\tInvalidate Queue Depth: %02x", a.invalidateQueueDepth()));
      out.add(
          String.format(
              Locale.ROOT,
              "\tATSCtl:\tEnable%s, Smallest Translation Unit: %02x",
              f(a.enabled()),
              a.smallestTranslationUnit()));
    } else if (cap instanceof ExtendedCapability.Pasid p) {
      out.add(at + p.name());
      out.add(
          String.format(
              Locale.ROOT,
              "\tPASIDCap: Exec%s Priv%s, Max PASID Width: %02x",
              f(p.execSupported()),
              f(p.privilegedSupported()),
              p.maxWidth()));
      out.add(
          String.format(
              Locale.ROOT,
              "\tPASIDCtl: Enable%s Exec%s Priv%s",
              f(p.enabled()),
              f(p.execEnabled()),
              f(p.privilegedEnabled())));
    } else if (cap instanceof ExtendedCapability.Pri p) {
      out.add(at + p.name());
      out.add(
          String.format(Locale.ROOT, "\tPRICtl: Enable%s Reset%s", f(p.enabled()), f(p.reset())));
      out.add(
          String.format(
              Locale.ROOT,
              "\tPRISta: RF%s UPRGI%s Stopped%s",
              f(p.responseFailure()),
              f(p.unexpectedGroupIndex()),
              f(p.stopped())));
      out.add(
          String.format(
              Locale.ROOT,
              "\tPage Request Capacity: %08x, Page Request Allocation: %08x",
              p.outstandingCapacity(),
              p.outstandingAllocation()));
    } else if (cap instanceof ExtendedCapability.Dsn d) {
      out.add(at + "Device Serial Number " + d.formatted());
    } else if (cap instanceof ExtendedCapability.Other o) {
      out.add(at + o.name());
    }
  }

  /** AER uncorrectable error bits, named as lspci ls-ecaps.c cap_aer names them. */
  private static String uncorrectable(int l) {
    return bits(
        l,
        "DLP SDES TLP FCP CmpltTO CmpltAbrt UnxCmplt RxOF MalfTLP ECRC UnsupReq ACSViol",
        0x10,
        0x20,
        0x1000,
        0x2000,
        0x4000,
        0x8000,
        0x10000,
        0x20000,
        0x40000,
        0x80000,
        0x100000,
        0x200000);
  }

  private static String correctable(int l) {
    return bits(
        l,
        "RxErr BadTLP BadDLLP Rollover Timeout AdvNonFatalErr",
        0x1,
        0x40,
        0x80,
        0x100,
        0x1000,
        0x2000);
  }

  private static String acs(AcsFlags a) {
    return flags(
        "SrcValid TransBlk ReqRedir CmpltRedir UpstreamFwd EgressCtrl DirectTrans",
        a.sourceValidation(),
        a.translationBlocking(),
        a.requestRedirect(),
        a.completionRedirect(),
        a.upstreamForwarding(),
        a.egressControl(),
        a.directTranslated());
  }

  /** lspci's flag list: each name followed by + when its bit is set in {@code value}, else -. */
  private static String bits(int value, String names, int... masks) {
    boolean[] set = new boolean[masks.length];
    for (int i = 0; i < masks.length; i++) {
      set[i] = (value & masks[i]) != 0;
    }
    return flags(names, set);
  }

  /** lspci's flag list: each (space-separated) name followed by + or -. */
  private static String flags(String names, boolean... values) {
    String[] n = names.split(" ");
    if (n.length != values.length) {
      throw new IllegalArgumentException(names + ": " + values.length + " values");
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n.length; i++) {
      b.append(i == 0 ? "" : " ").append(n[i]).append(f(values[i]));
    }
    return b.toString();
  }

  private static String f(boolean b) {
    return b ? "+" : "-";
  }

  private static String f(int bits) {
    return bits != 0 ? "+" : "-";
  }
}
