package dev.pcikit.bench;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a sysfs tree of about N PCI functions for peer comparisons (lspci reads it with {@code -A
 * linux-sysfs -O sysfs.path=DIR/sys/bus/pci}): root ports, each with an SR-IOV NIC PF whose VFs (up
 * to 240 each, autoprobe off) make up the count.
 *
 * <p>Usage: {@code java -cp pcikit-bench.jar dev.pcikit.bench.TreeGen N DIR}
 */
public final class TreeGen {
  private TreeGen() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    TreeMaterializer.materialize(host(n).build(), dir.resolve("sys"));
  }

  static HostBuilder host(int n) {
    HostBuilder h = new HostBuilder("x86_64");
    int left = n;
    int port = 0;
    while (left > 0) {
      int bus = port + 1;
      int vfs = Math.min(240, Math.max(0, left - 2));
      h.device(
              String.format(Locale.ROOT, "0000:%02x:%02x.%d", 0, 1 + port / 8, port % 8),
              ConfigSpaceBuilder.bridge(0x8086, 0x7ab8)
                  .buses(0, bus, bus + 1)
                  .multifunction(true)
                  .express(PciePortType.ROOT_PORT)
                  .acs(0x5f, 0x1d))
          .driver("pcieport");
      ConfigSpaceBuilder pf =
          ConfigSpaceBuilder.endpoint(0x15b3, 0x101d)
              .classCode(0x020000)
              .subsystem(0x15b3, 0x0040)
              .express(PciePortType.ENDPOINT)
              .flr(true)
              .msix(64, true)
              .sriov(ConfigSpaceBuilder.sriov(Math.max(1, vfs), 0x101e).offset(1).stride(1))
              .ari(0);
      var d = h.device(String.format(Locale.ROOT, "0000:%02x:00.0", bus), pf).driver("mlx5_core");
      if (vfs > 0) {
        d.autoprobe(false).numVfs(vfs);
      }
      left -= 2 + vfs;
      port++;
      if (port > 120) {
        throw new IllegalArgumentException("too many devices for one PCI domain: " + n);
      }
    }
    return h;
  }
}
