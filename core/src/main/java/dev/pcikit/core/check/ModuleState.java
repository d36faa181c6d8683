package dev.pcikit.core.check;

/** Whether a kernel module can be used. */
public enum ModuleState {
  /** Compiled into the kernel (listed in modules.builtin). */
  BUILTIN,
  /** Loaded now (/sys/module/NAME exists). */
  LOADED,
  /** Installed (listed in modules.dep): modprobe will load it. */
  AVAILABLE,
  /** Neither built in, loaded nor installed for the running kernel. */
  ABSENT,
  /** The module lists of the running kernel could not be read. */
  UNKNOWN;

  public boolean usable() {
    return this == BUILTIN || this == LOADED || this == AVAILABLE;
  }
}
