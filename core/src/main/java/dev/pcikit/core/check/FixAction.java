package dev.pcikit.core.check;

import dev.pcikit.core.model.PciAddress;
import java.util.List;
import java.util.Objects;

/**
 * What pcikit itself can do about a {@link Finding}, typed so that a front end can offer it (a
 * command line, a button, an API call) in its own words. {@link Kind#NONE} when the fix is only the
 * finding's prose (move a card, change the kernel command line...).
 *
 * @param kind what to do
 * @param devices the devices it applies to: for {@link Kind#BIND_GROUP} the device whose IOMMU
 *     group is meant, for {@link Kind#BIND_DEVICE} the device, for {@link Kind#BIND_ALSO} the other
 *     devices to bind together with the finding's subject; empty otherwise
 */
public record FixAction(Kind kind, List<PciAddress> devices) {
  /** No action beyond the finding's prose. */
  public static final FixAction NONE = new FixAction(Kind.NONE, List.of());

  /** The kinds of action. */
  public enum Kind {
    /** Nothing pcikit does. */
    NONE,
    /** Bind every endpoint of the device's IOMMU group to vfio-pci, all or nothing. */
    BIND_GROUP,
    /** Bind the device (on a host driver today) to vfio-pci. */
    BIND_DEVICE,
    /** Bind these other devices to vfio-pci too and give them to the same guest. */
    BIND_ALSO,
    /** Run the readiness check on the host itself: this view of it cannot see what is asked. */
    CHECK_ON_HOST,
    /** Run the readiness check with root privileges on the host itself. */
    CHECK_AS_ROOT
  }

  /**
   * An action.
   *
   * @param kind what to do
   * @param devices the devices it applies to
   */
  public FixAction {
    Objects.requireNonNull(kind, "kind");
    devices = List.copyOf(devices);
  }

  /**
   * Bind the whole IOMMU group of a device.
   *
   * @param device a device of the group
   * @return the action
   */
  public static FixAction bindGroup(PciAddress device) {
    return new FixAction(Kind.BIND_GROUP, List.of(device));
  }

  /**
   * Bind a device to vfio-pci.
   *
   * @param device the device
   * @return the action
   */
  public static FixAction bindDevice(PciAddress device) {
    return new FixAction(Kind.BIND_DEVICE, List.of(device));
  }

  /**
   * Bind other devices too, for the same guest.
   *
   * @param devices the other devices
   * @return the action
   */
  public static FixAction bindAlso(List<PciAddress> devices) {
    return new FixAction(Kind.BIND_ALSO, devices);
  }

  /**
   * Run the check on the host itself.
   *
   * @param asRoot whether root privileges are what is missing
   * @return the action
   */
  public static FixAction checkOnHost(boolean asRoot) {
    return new FixAction(asRoot ? Kind.CHECK_AS_ROOT : Kind.CHECK_ON_HOST, List.of());
  }

  /**
   * Whether there is an action.
   *
   * @return kind is not {@link Kind#NONE}
   */
  public boolean present() {
    return kind != Kind.NONE;
  }
}
