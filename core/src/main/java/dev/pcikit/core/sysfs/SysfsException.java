package dev.pcikit.core.sysfs;

import java.io.IOException;

/** A sysfs operation that the kernel (real or simulated) answered with an errno. */
public class SysfsException extends IOException {
  private final Errno errno;
  private final String path;
  private final String detail;

  public SysfsException(Errno errno, String path, String detail) {
    super(
        path
            + ": "
            + errno.text()
            + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
    this.errno = errno;
    this.path = path;
    this.detail = detail == null ? "" : detail;
  }

  /** What pcikit adds to the errno (e.g. a refusal to write outside the root), or "". */
  public String detail() {
    return detail;
  }

  public SysfsException(Errno errno, String path) {
    this(errno, path, null);
  }

  public Errno errno() {
    return errno;
  }

  public String path() {
    return path;
  }

  /** The errno of any I/O failure, when it can be told. */
  public static java.util.Optional<Errno> errnoOf(IOException e) {
    if (e instanceof SysfsException se) {
      return java.util.Optional.of(se.errno());
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return java.util.Optional.of(Errno.ENOENT);
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return java.util.Optional.of(Errno.EACCES);
    }
    return Errno.fromMessage(e.getMessage());
  }
}
