package dev.pcikit.core.config;

import java.util.Locale;

/** An extended capability (chain from 0x100 in PCI Express extended config space). */
public sealed interface ExtendedCapability {
  int offset();

  int id();

  int version();

  /** The name lspci gives this extended capability ID. */
  default String name() {
    return CapabilityNames.extended(id());
  }

  /** Single Root I/O Virtualization (0x0010), PCIe Base spec 9.3.3. */
  record Sriov(
      int offset,
      int version,
      int capabilities,
      int control,
      int status,
      int initialVfs,
      int totalVfs,
      int numVfs,
      int functionDependencyLink,
      int vfOffset,
      int vfStride,
      int vfDeviceId,
      int supportedPageSizes,
      int systemPageSize)
      implements ExtendedCapability {
    @Override
    public int id() {
      return 0x0010;
    }

    public boolean vfMigrationCapable() {
      return (capabilities & 0x1) != 0;
    }

    /** VF 10-Bit Tag Requester Supported. */
    public boolean vf10BitTagRequester() {
      return (capabilities & 0x4) != 0;
    }

    public int migrationInterruptMessage() {
      return capabilities >>> 21;
    }

    public boolean vfEnable() {
      return (control & 0x01) != 0;
    }

    public boolean vfMigrationEnable() {
      return (control & 0x02) != 0;
    }

    public boolean vfMigrationInterruptEnable() {
      return (control & 0x04) != 0;
    }

    /** VF Memory Space Enable: turns on the VFs' BARs (their own COMMAND.MEM reads 0). */
    public boolean vfMemorySpaceEnable() {
      return (control & 0x08) != 0;
    }

    public boolean ariCapableHierarchy() {
      return (control & 0x10) != 0;
    }

    public boolean vf10BitTagRequesterEnable() {
      return (control & 0x20) != 0;
    }

    public boolean migrationStatus() {
      return (status & 0x1) != 0;
    }
  }

  /** Access Control Services (0x000d). */
  record Acs(int offset, int version, AcsFlags capabilities, AcsFlags control, int egressVectorSize)
      implements ExtendedCapability {
    @Override
    public int id() {
      return 0x000d;
    }
  }

  /** Alternative Routing-ID Interpretation (0x000e). */
  record Ari(
      int offset,
      int version,
      boolean mfvcCapable,
      boolean acsCapable,
      int nextFunction,
      boolean mfvcEnabled,
      boolean acsEnabled,
      int functionGroup)
      implements ExtendedCapability {
    @Override
    public int id() {
      return 0x000e;
    }
  }

  /** Advanced Error Reporting (0x0001): the status, mask and severity registers, raw. */
  record Aer(
      int offset,
      int version,
      int uncorrectableStatus,
      int uncorrectableMask,
      int uncorrectableSeverity,
      int correctableStatus,
      int correctableMask,
      int capabilitiesControl)
      implements ExtendedCapability {
    @Override
    public int id() {
      return 0x0001;
    }
  }

  /** Address Translation Services (0x000f); a queue depth of 0 means 32. */
  record Ats(
      int offset,
      int version,
      int invalidateQueueDepth,
      boolean pageAlignedRequest,
      boolean enabled,
      int smallestTranslationUnit)
      implements ExtendedCapability {
    @Override
    public int id() {
      return 0x000f;
    }
  }

  /** Process Address Space ID (0x001b). */
  record Pasid(
      int offset,
      int version,
      boolean execSupported,
      boolean privilegedSupported,
      int maxWidth,
      boolean enabled,
      boolean execEnabled,
      boolean privilegedEnabled)
      implements ExtendedCapability {
    @Override
    public int id() {
      return 0x001b;
    }
  }

  /** Page Request Interface (0x0013). */
  record Pri(
      int offset,
      int version,
      int control,
      int status,
      int outstandingCapacity,
      int outstandingAllocation)
      implements ExtendedCapability {
    @Override
    public int id() {
      return 0x0013;
    }

    public boolean enabled() {
      return (control & 0x1) != 0;
    }

    public boolean reset() {
      return (control & 0x2) != 0;
    }

    public boolean responseFailure() {
      return (status & 0x1) != 0;
    }

    public boolean unexpectedGroupIndex() {
      return (status & 0x2) != 0;
    }

    public boolean stopped() {
      return (status & 0x100) != 0;
    }
  }

  /** Device Serial Number (0x0003). */
  record Dsn(int offset, int version, long serialNumber) implements ExtendedCapability {
    @Override
    public int id() {
      return 0x0003;
    }

    /** The serial as lspci prints it, most significant byte first: "00-11-22-...". */
    public String formatted() {
      StringBuilder sb = new StringBuilder();
      for (int shift = 56; shift >= 0; shift -= 8) {
        if (sb.length() > 0) {
          sb.append('-');
        }
        sb.append(String.format(Locale.ROOT, "%02x", serialNumber >>> shift & 0xff));
      }
      return sb.toString();
    }
  }

  /** Any other extended capability, or a known one whose registers were not readable. */
  record Other(int offset, int id, int version) implements ExtendedCapability {}
}
