package dev.pcikit.core.plan;

/**
 * Choices a guest spec can make; the defaults are the safe ones.
 *
 * @param sharePhbs pseries: allow several IOMMU groups on one PHB when PEs + spares exceed 30
 *     (breaks EEH isolation for those PHBs)
 * @param keepMultifunction place the functions of one host multifunction device as functions of one
 *     guest slot (one root port on q35/virt)
 * @param numa pseries: set each PHB's {@code numa_node} from its host devices
 * @param pcikitBinds pcikit binds the devices to vfio-pci itself, so libvirt must not ({@code
 *     managed='no'})
 * @param extendedConfig pseries: new PHBs keep {@code pcie-extended-configuration-space} on
 * @param wholeGroups add the other endpoint functions of a requested device's IOMMU group
 */
public record Policies(
    boolean sharePhbs,
    boolean keepMultifunction,
    boolean numa,
    boolean pcikitBinds,
    boolean extendedConfig,
    boolean wholeGroups) {

  public static Policies defaults() {
    return new Policies(false, true, true, true, true, true);
  }
}
