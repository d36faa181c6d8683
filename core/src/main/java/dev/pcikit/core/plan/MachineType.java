package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.util.Locale;

/** The guest machine types pcikit plans for, named as QEMU's {@code -M} names them. */
public enum MachineType {
  PSERIES("pseries", "ppc64"),
  Q35("q35", "x86_64"),
  VIRT("virt", "aarch64"),
  S390_CCW_VIRTIO("s390-ccw-virtio", "s390x");

  private final String qemuName;
  private final String arch;

  MachineType(String qemuName, String arch) {
    this.qemuName = qemuName;
    this.arch = arch;
  }

  public String qemuName() {
    return qemuName;
  }

  /** The libvirt {@code <type arch=…>} of the guest. */
  public String arch() {
    return arch;
  }

  /** Accepts the QEMU name and versioned forms libvirt writes (pc-q35-7.2, pseries-7.2). */
  public static MachineType parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("pseries")) {
      return PSERIES;
    }
    if (t.equals("q35") || t.matches("pc-q35(-.*)?")) {
      return Q35;
    }
    if (t.equals("virt") || t.startsWith("virt-")) {
      return VIRT;
    }
    if (t.startsWith("s390-ccw-virtio")) {
      return S390_CCW_VIRTIO;
    }
    throw new PcikitException(
        Failure.BAD_INPUT,
        "unknown machine type '" + text + "' (expected pseries, q35, virt or s390-ccw-virtio)");
  }
}
