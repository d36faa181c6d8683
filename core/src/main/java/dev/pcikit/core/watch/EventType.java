package dev.pcikit.core.watch;

/** What changed on a host; {@link #wire()} is the name the event API and SSE use. */
public enum EventType {
  DEVICE_ADDED("device-added"),
  DEVICE_REMOVED("device-removed"),
  DRIVER_CHANGED("driver-changed"),
  VFS_CHANGED("vfs-changed"),
  GROUP_VIABILITY_CHANGED("group-viability-changed"),
  DEVICE_NOT_RESPONDING("device-not-responding"),
  DEVICE_RESPONDING("device-responding");

  private final String wire;

  EventType(String wire) {
    this.wire = wire;
  }

  /** The name on the wire: {@code device-added}, {@code driver-changed}... */
  public String wire() {
    return wire;
  }
}
