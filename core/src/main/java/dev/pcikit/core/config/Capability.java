package dev.pcikit.core.config;

import java.util.Optional;

/**
 * A standard capability (list in the first 256 bytes, PCI Local Bus 3.0 section 6.7). Register
 * offsets are those of Linux include/uapi/linux/pci_regs.h.
 */
public sealed interface Capability {
  /** Config-space offset of the capability header. */
  int offset();

  /** Capability ID (PM 0x01, MSI 0x05, PCIe 0x10, MSI-X 0x11, ...). */
  int id();

  /** The name lspci gives this capability ID. */
  default String name() {
    return CapabilityNames.standard(id());
  }

  /**
   * Power Management (0x01).
   *
   * @param capabilities PMC register (offset +2)
   * @param controlStatus PMCSR register (offset +4)
   */
  record PowerManagement(int offset, int capabilities, int controlStatus) implements Capability {
    @Override
    public int id() {
      return 0x01;
    }

    public int version() {
      return capabilities & 7;
    }

    public boolean d1Support() {
      return (capabilities & 0x200) != 0;
    }

    public boolean d2Support() {
      return (capabilities & 0x400) != 0;
    }

    /** PME_Support bits: D0, D1, D2, D3hot, D3cold (bits 0..4). */
    public int pmeSupport() {
      return capabilities >> 11 & 0x1f;
    }

    /** Current power state: 0 = D0 .. 3 = D3hot. */
    public int powerState() {
      return controlStatus & 3;
    }

    public boolean noSoftReset() {
      return (controlStatus & 0x8) != 0;
    }

    public boolean pmeEnabled() {
      return (controlStatus & 0x100) != 0;
    }

    public boolean pmeStatus() {
      return (controlStatus & 0x8000) != 0;
    }
  }

  /**
   * MSI (0x05).
   *
   * @param vectorsCapable Multiple Message Capable, as a count (1..32)
   * @param vectorsEnabled Multiple Message Enable, as a count
   */
  record Msi(
      int offset,
      boolean enabled,
      boolean is64Bit,
      boolean maskable,
      int vectorsCapable,
      int vectorsEnabled)
      implements Capability {
    @Override
    public int id() {
      return 0x05;
    }
  }

  /** MSI-X (0x11); tableSize is the number of entries (field + 1). */
  record MsiX(
      int offset,
      boolean enabled,
      boolean functionMasked,
      int tableSize,
      int tableBar,
      int tableOffset,
      int pbaBar,
      int pbaOffset)
      implements Capability {
    @Override
    public int id() {
      return 0x11;
    }
  }

  /**
   * PCI Express (0x10).
   *
   * @param version capability version (bits 3:0)
   * @param interruptMessage interrupt message number (bits 13:9)
   * @param deviceCapabilities raw DevCap
   * @param maxPayload DevCap max payload size supported, bytes
   * @param flr DevCap Function Level Reset capability (bit 28)
   * @param link link registers; absent for types without a link (RCiEP, event collector)
   */
  record Express(
      int offset,
      int version,
      PciePortType portType,
      boolean slotImplemented,
      int interruptMessage,
      int deviceCapabilities,
      int maxPayload,
      boolean flr,
      Optional<PcieLink> link)
      implements Capability {
    @Override
    public int id() {
      return 0x10;
    }
  }

  /** Subsystem ID capability of bridges (0x0d). */
  record SubsystemId(int offset, int subsystemVendorId, int subsystemDeviceId)
      implements Capability {
    @Override
    public int id() {
      return 0x0d;
    }
  }

  /**
   * Any other capability, or a known one whose registers were not readable.
   *
   * @param flags the 16 bits after the header (lspci prints them for unknown IDs)
   */
  record Other(int offset, int id, int flags) implements Capability {}
}
