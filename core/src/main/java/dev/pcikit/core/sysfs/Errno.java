package dev.pcikit.core.sysfs;

import java.util.Locale;
import java.util.Optional;

/**
 * The errno values that sysfs writes answer with, and their glibc strerror texts. The texts matter:
 * a real kernel's refusal reaches Java only as an IOException message such as "Device or resource
 * busy", and we map it back to the errno to explain it.
 */
public enum Errno {
  EPERM(1, "Operation not permitted"),
  ENOENT(2, "No such file or directory"),
  EIO(5, "Input/output error"),
  ENXIO(6, "No such device or address"),
  EAGAIN(11, "Resource temporarily unavailable"),
  ENOMEM(12, "Cannot allocate memory"),
  EACCES(13, "Permission denied"),
  EBUSY(16, "Device or resource busy"),
  EEXIST(17, "File exists"),
  ENODEV(19, "No such device"),
  ENOTDIR(20, "Not a directory"),
  EISDIR(21, "Is a directory"),
  EINVAL(22, "Invalid argument"),
  ENOSPC(28, "No space left on device"),
  EROFS(30, "Read-only file system"),
  ERANGE(34, "Numerical result out of range"),
  ENOTSUP(95, "Operation not supported"),
  ETIMEDOUT(110, "Connection timed out");

  private final int number;
  private final String text;

  Errno(int number, String text) {
    this.number = number;
    this.text = text;
  }

  public int number() {
    return number;
  }

  public String text() {
    return text;
  }

  /** Finds the errno whose strerror text appears in an I/O error message. */
  public static Optional<Errno> fromMessage(String message) {
    if (message == null) {
      return Optional.empty();
    }
    String lower = message.toLowerCase(Locale.ROOT);
    for (Errno e : values()) {
      if (lower.contains(e.text.toLowerCase(Locale.ROOT))) {
        return Optional.of(e);
      }
    }
    for (Errno e : values()) {
      if (message.contains(e.name())) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
