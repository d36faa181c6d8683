package dev.pcikit.sim.snapshot;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The PCI sysfs snapshot format (docs/snapshot-format.md): line records between a versioned BEGIN
 * line and an END line. Version 1 is what the x86 lab guest wrote; version 2 adds the simulation
 * records {@code H}, {@code K}, {@code Y}, {@code N}, which a tree cannot hold.
 */
public final class SnapshotFormat {
  /** The newest version this code reads and the one it writes. */
  public static final int VERSION = 2;

  public static final String END = "=====END PCI SYSFS SNAPSHOT=====";
  static final Pattern BEGIN = Pattern.compile("=====BEGIN PCI SYSFS SNAPSHOT v([0-9]+)=====");

  /** Modules whose parameters are recorded ({@code P}); the shell recorder uses the same list. */
  public static final List<String> PARAM_MODULES =
      List.of("vfio_pci", "vfio_pci_core", "vfio", "vfio_iommu_type1", "pci_stub");

  /** Device subdirectories whose entries are recorded one level deep. */
  public static final List<String> EXPANDED_DIRS = List.of("power", "msi_irqs", "link");

  static final List<String> HEADER_COMMENT =
      List.of(
          "# one record per line, fields separated by one space (docs/snapshot-format.md):",
          "#  D bdf realpath               device directory (topology)",
          "#  A bdf attr text              attribute whose content is exactly 'text' + newline",
          "#  T bdf attr N                 attribute of N newline-terminated lines, which follow as"
              + " '| line'",
          "#  M bdf attr base64            attribute content as exact bytes (no trailing newline /"
              + " empty)",
          "#  B bdf config base64          binary config space, as read by root",
          "#  L bdf name target            symlink (relative target as in sysfs)",
          "#  S bdf name mode size         binary/action file not read (resourceN, rom, reset,"
              + " remove...)",
          "#  W bdf name mode              write-only attribute",
          "#  E bdf name error             read failed with this error",
          "#  d bdf name                   subdirectory (power/, msi_irqs/, link/ are expanded as"
              + " attr 'dir/file')",
          "#  G group key value            /sys/kernel/iommu_groups/<group>",
          "#  R driver bdf...              devices bound to /sys/bus/pci/drivers/<driver>",
          "#  P module param value         /sys/module/<module>/parameters/<param>",
          "# v2 simulation records (not part of a sysfs tree):",
          "#  H key value                  host fact (arch, platform, kernel)",
          "#  K driver module flags alias  driver catalogue entry of the simulated kernel",
          "#  Y driver id                  dynamic ID added through new_id",
          "#  N bdf key value              simulation property of a device (pe, frozen...)");

  private SnapshotFormat() {}

  static String begin(int version) {
    return "=====BEGIN PCI SYSFS SNAPSHOT v" + version + "=====";
  }
}
