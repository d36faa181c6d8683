package dev.pcikit.core.sysfs;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The one port through which pcikit sees and changes a kernel's sysfs, like pciutils' access
 * methods: several backends (a directory tree under a root, a recording, a simulated kernel).
 *
 * <p>Paths are relative to the sysfs root and use '/' (e.g. {@code bus/pci/devices}). No method
 * follows links recursively: sysfs has cycles.
 */
public interface Sysfs {

  /** The whole content of a text attribute, as the kernel returns it (usually newline-ended). */
  String readText(String path) throws IOException;

  /** At most {@code max} bytes of a binary attribute such as {@code config}. */
  byte[] readBytes(String path, int max) throws IOException;

  /** The target of a symbolic link, as stored (relative in sysfs); empty if not a link. */
  Optional<String> readLink(String path) throws IOException;

  /** The entry names of a directory, sorted; a link to a directory lists that directory. */
  List<String> list(String path) throws IOException;

  /** Whether the path exists (a dangling link counts as existing). */
  boolean exists(String path);

  /** Writes a value in one write(2) call, as sysfs attributes require. */
  void write(String path, String value) throws IOException;

  /** The trimmed content of an attribute, or empty when it is absent or unreadable. */
  default Optional<String> attr(String path) {
    try {
      if (!exists(path)) {
        return Optional.empty();
      }
      return Optional.of(readText(path).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The last path element of a link target ({@code ../../../bus/pci/drivers/nvme} → nvme). */
  default Optional<String> linkName(String path) {
    try {
      return readLink(path).map(Sysfs::lastElement);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static String lastElement(String target) {
    String t = target;
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    int i = t.lastIndexOf('/');
    return i < 0 ? t : t.substring(i + 1);
  }
}
