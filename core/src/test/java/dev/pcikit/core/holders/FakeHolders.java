package dev.pcikit.core.holders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who holds a VFIO group, written under a test's root the way {@link Holders} reads it on a real
 * host: {@code proc/PID} (comm, cmdline, fd links) and libvirt's XML files. Shared with the cli's
 * tests (this module's test jar).
 */
public final class FakeHolders {
  private FakeHolders() {}

  /** The process of {@link #qemuHoldsGroup12ForDomainLab}. */
  public static final int LAB_PID = 4242;

  /**
   * {@code proc/PID}: comm, cmdline (NUL-separated, as the kernel shows it) and fd/3, fd/4, ...
   * linked to FDS (the first descriptors after stdin, stdout and stderr).
   */
  public static void process(Path root, int pid, String comm, String cmdline, String... fds)
      throws IOException {
    Path p = root.resolve("proc/" + pid);
    Files.createDirectories(p.resolve("fd"));
    Files.writeString(p.resolve("comm"), comm + "\n");
    Files.writeString(p.resolve("cmdline"), cmdline);
    for (int i = 0; i < fds.length; i++) {
      Files.createSymbolicLink(p.resolve("fd/" + (i + 3)), Path.of(fds[i]));
    }
  }

  /** A file under root, its directories made. */
  public static void file(Path root, String rel, String content) throws IOException {
    Path f = root.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  /**
   * The lab guest: QEMU (pid 4242, {@code -name guest=lab}) has {@code /dev/vfio/12} open, and
   * libvirt's live status file names it as the running domain "lab" whose hostdev is 0000:03:00.0.
   */
  public static void qemuHoldsGroup12ForDomainLab(Path root) throws IOException {
    process(
        root, LAB_PID, "qemu-system-x86", "qemu-system-x86_64\0-name\0guest=lab\0", "/dev/vfio/12");
    file(
        root,
        "run/libvirt/qemu/lab.xml",
        "<domstatus state='running' pid='4242'><domain type='kvm'><name>lab</name><devices>"
            + "<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x03'"
            + " slot='0x00' function='0x0'/></source></hostdev></devices></domain></domstatus>");
  }
}
