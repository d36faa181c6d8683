package dev.pcikit.bench;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import dev.pcikit.sim.snapshot.Snapshots;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark host: a ConnectX-class PF (15b3:1017, mlx5_core) below a root port with ACS, with N
 * VFs (15b3:1018, offset 1, stride 1, ARI) that autoprobe bound to mlx5_core — the state a host is
 * in before its VFs are handed to VFIO.
 *
 * <p>{@code java -cp pcikit-bench.jar dev.pcikit.bench.SriovBenchHost DIR N} materializes it as a
 * sysfs-shaped tree (for the driverctl comparison); {@code ... SriovBenchHost --snapshot FILE TOTAL
 * ENABLED} saves it as a snapshot for {@code pcikit --host FILE} (the cold CLI figures of
 * bench/scripts/cold-start.sh).
 */
public final class SriovBenchHost {
  private SriovBenchHost() {}

  public static SimKernel boot(int vfs) {
    return boot(vfs, vfs);
  }

  /**
   * The host with {@code total} VFs possible and {@code enabled} of them enabled at boot (0: the
   * state before {@code sriov enable}; autoprobe is the kernel's default, on).
   */
  public static SimKernel boot(int total, int enabled) {
    int vfs = total;
    HostBuilder h = new HostBuilder("x86_64").info("platform", "bench");
    h.device(
            "0000:00:00.0",
            ConfigSpaceBuilder.endpoint(0x8086, 0x29c0).classCode(0x060000).conventional())
        .group(0);
    h.device(
            "0000:40:01.0",
            ConfigSpaceBuilder.bridge(0x8086, 0x7ab8)
                .buses(0x40, 0x41, 0x43)
                .express(PciePortType.ROOT_PORT)
                .acs(0x5f, 0x1d))
        .driver("pcieport");
    h.device(
            "0000:41:00.0",
            ConfigSpaceBuilder.endpoint(0x15b3, 0x1017)
                .classCode(0x020000)
                .express(PciePortType.ENDPOINT)
                .flr(true)
                .acs(0x5f, 0x1d)
                .ari(0)
                .sriov(ConfigSpaceBuilder.sriov(vfs, 0x1018).offset(1).stride(1)))
        .driver("mlx5_core")
        .numVfs(enabled);
    return h.boot();
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("--snapshot")) {
      Snapshots.save(boot(Integer.parseInt(args[2]), Integer.parseInt(args[3])), Path.of(args[1]));
      return;
    }
    Path dir = Path.of(args[0]);
    SimKernel k = boot(Integer.parseInt(args[1]));
    TreeMaterializer.materialize(k.host(), dir);
    // Marker the driverctl script checks inside its mount namespace before running anything.
    Files.writeString(dir.resolve("PCIKIT_BENCH_TREE"), "materialized by SriovBenchHost\n");
    int bound = 0;
    for (String bdf : k.tree().bdfs()) {
      if (k.tree().physfn(bdf).isPresent()) {
        bound += k.tree().driver(bdf).isPresent() ? 1 : 0;
        System.out.println(
            bdf + " " + k.tree().driver(bdf).orElse("-") + " group " + k.tree().group(bdf));
      }
    }
    System.err.println(bound + " VFs bound to a host driver");
  }
}
