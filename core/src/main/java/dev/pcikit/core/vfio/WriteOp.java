package dev.pcikit.core.vfio;

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
      return "modprobe " + value.replace('-', '_');
    }
    String p = sysfsRoot + (sysfsRoot.endsWith("/") ? "" : "/") + path;
    return value.isBlank() ? "echo > " + p : "echo " + value + " > " + p;
  }
}
