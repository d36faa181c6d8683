package dev.pcikit.core.error;

/**
 * What a caller can do about a failure, in domain terms; each front end says it in its own words
 * (the CLI names the flag or command that does it).
 */
public enum Remedy {
  /** Nothing beyond what the message says. */
  NONE,
  /** Every rule that refused may be overridden, at the caller's risk ({@code force}). */
  OVERRIDE_SAFETY_RULES,
  /** Bind the devices' whole IOMMU groups, or name the peers too. */
  INCLUDE_WHOLE_GROUP,
  /** Run recovery (take the host lock) once the cause is fixed; the journal was kept. */
  RECOVER_LATER,
  /** Wait longer for the host lock. */
  WAIT_LONGER,
  /** Name the kernel release explicitly: the host's running release could not be read. */
  NAME_KERNEL_RELEASE,
  /**
   * Name a VFIO driver (vfio-pci or a VFIO PCI variant driver): the driver the caller asked for is
   * not one.
   */
  NAME_VFIO_DRIVER,
  /** Name the Kubernetes node explicitly: the host name is not a valid node name. */
  NAME_NODE
}
