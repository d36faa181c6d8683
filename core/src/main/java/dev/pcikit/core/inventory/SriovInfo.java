package dev.pcikit.core.inventory;

/**
 * A PF's SR-IOV attributes from sysfs. Absent values are -1 (offset/stride/vfDevice appear only on
 * kernels ≥ 5.x, autoprobe since 4.12).
 */
public record SriovInfo(
    int totalVfs, int numVfs, int driversAutoprobe, int offset, int stride, int vfDevice) {

  public boolean autoprobeKnown() {
    return driversAutoprobe >= 0;
  }
}
