package dev.pcikit.core.sysfs;

import java.nio.file.Path;

/**
 * The system root pcikit looks at ({@code --root}, default {@code /}): sysfs is {@code ROOT/sys},
 * and {@code proc}, {@code dev}, {@code etc}, {@code lib/modules} are found the same way. Nothing
 * in pcikit hard-codes the real {@code /sys}.
 */
public record SystemRoot(Path root) {

  /**
   * Whether this is the running system's own root (the file system root): the only root whose
   * kernel may be asked to load modules and whose {@code os.arch}/{@code os.version} are its own.
   */
  public boolean isLive() {
    return root.toAbsolutePath().normalize().getParent() == null;
  }

  public Sysfs sysfs() {
    return new DirectorySysfs(root.resolve("sys"));
  }

  public Path sysfsDir() {
    return root.resolve("sys");
  }

  public Path proc() {
    return root.resolve("proc");
  }

  public Path dev() {
    return root.resolve("dev");
  }

  public Path etc() {
    return root.resolve("etc");
  }

  public Path modules() {
    return root.resolve("lib/modules");
  }

  /** Resolves an absolute path ("/usr/share/hwdata/pci.ids") inside the root. */
  public Path resolve(String absolute) {
    String rel = absolute.startsWith("/") ? absolute.substring(1) : absolute;
    return root.resolve(rel);
  }
}
