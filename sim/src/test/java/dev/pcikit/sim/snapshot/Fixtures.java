package dev.pcikit.sim.snapshot;

import dev.pcikit.sim.HostSysfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The recording of a real Linux 6.1 x86 guest (QEMU q35, NVMe SR-IOV), from the x86 lab. */
public final class Fixtures {
  public static final String X86_LAB = "x86-q35-linux6.1-nvme-sriov.snapshot.txt";

  private Fixtures() {}

  public static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static HostSysfs x86Lab() {
    return SnapshotReader.read(text(X86_LAB), X86_LAB);
  }
}
