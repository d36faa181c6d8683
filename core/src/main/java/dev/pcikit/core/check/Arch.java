package dev.pcikit.core.check;

/** The CPU architecture families whose IOMMU and interrupt story differ. */
public enum Arch {
  X86,
  POWER,
  S390X,
  ARM,
  UNKNOWN;

  /** From a uname -m / os.arch / kernel.arch string. */
  public static Arch of(String machine) {
    String m = machine == null ? "" : machine.strip().toLowerCase(java.util.Locale.ROOT);
    if (m.equals("x86_64") || m.equals("amd64") || m.matches("i[3-6]86") || m.equals("x86")) {
      return X86;
    }
    if (m.startsWith("ppc") || m.startsWith("power")) {
      return POWER;
    }
    if (m.startsWith("s390")) {
      return S390X;
    }
    if (m.startsWith("aarch64") || m.startsWith("arm")) {
      return ARM;
    }
    return UNKNOWN;
  }
}
