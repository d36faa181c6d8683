package dev.pcikit.core.draw;

import java.util.List;

/**
 * What a plan picture shows, independent of the planner's records: the guest's controllers (PHBs or
 * root ports), the devices on each with their marks, and the host device each comes from. The
 * planner's result is turned into this by an adapter, so the picture can be tested on its own.
 *
 * @param machine "pseries", "q35"...
 */
public record PlanView(String name, String machine, List<Controller> controllers) {
  public PlanView {
    controllers = List.copyOf(controllers);
  }

  /**
   * A guest controller.
   *
   * @param label "PHB 1 (pci.1) · NUMA 0" or "pcie-root-port pci.3 at 00:02.0"
   * @param marks short facts shown on the second line: "spare", "EEH: isolated", "ECS on"...
   * @param spare left empty for hotplug (drawn dashed)
   * @param warning a mark that needs attention (EEH not possible, ECS off): drawn in red
   */
  public record Controller(
      String label, List<String> marks, boolean spare, boolean warning, List<Device> devices) {
    public Controller {
      marks = List.copyOf(marks);
      devices = List.copyOf(devices);
    }
  }

  /**
   * A passed-through function in the guest.
   *
   * @param guestAddress "01:00.0" (libvirt bus:slot.function)
   * @param marks "ECS" / "no ECS", "added for group 7"...
   */
  public record Device(String guestAddress, String alias, List<String> marks, Host host) {
    public Device {
      marks = List.copyOf(marks);
    }
  }

  /** The host function a guest device comes from. */
  public record Host(String bdf, String name, String driver, Integer group, int numaNode) {}
}
