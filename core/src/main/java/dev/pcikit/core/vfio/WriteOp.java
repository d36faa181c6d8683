package dev.pcikit.core.vfio;

import dev.pcikit.core.text.SafeText;

/**
 * One sysfs write (path relative to the sysfs root), or a module load when {@code path} is null.
 */
public record WriteOp(String path, String value) {

  public static WriteOp modprobe(String module) {
    return new WriteOp(null, module);
  }

  /** The write as a shell line, with the sysfs root as the user would type it. */
  public String shell(String sysfsRoot) {
    if (path == null) {
      return "modprobe " + SafeText.shell(value.replace('-', '_'));
    }
    String p = SafeText.shell(sysfsRoot + (sysfsRoot.endsWith("/") ? "" : "/") + path);
    if (value.isBlank()) {
      return "echo > " + p;
    }
    // echo would take a value such as "-n" or "-e" as an option
    return value.startsWith("-")
        ? "printf '%s\\n' " + SafeText.shell(value) + " > " + p
        : "echo " + SafeText.shell(value) + " > " + p;
  }
}
