package dev.pcikit.bench;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sriov.SriovPools;
import dev.pcikit.sim.SimKernel;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code pcikit sriov enable 0000:41:00.0 --vfs 256} (for VFIO) in one call on the simulated
 * kernel: autoprobe off, 256 VFs created (the kernel's VF creation: devices, links, IOMMU groups),
 * then every VF bound to vfio-pci in one transaction of the binding engine — with the SR-IOV
 * journal and the engine's journal fsynced on disk. One fresh host with no VFs per invocation (not
 * measured).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 30)
@Fork(1)
public class SriovEnableBenchmark extends FreshVfHost {
  static final PciAddress PF = PciAddress.parse("0000:41:00.0");

  @Override
  SimKernel boot(int vfs) {
    return SriovBenchHost.boot(vfs, 0);
  }

  @Benchmark
  public List<PciAddress> enableAndBind() throws IOException {
    SriovPools pools = new SriovPools(vfio());
    List<PciAddress> made = pools.enable(PF, vfs, true, null);
    if (made.size() != vfs
        || !"vfio-pci".equals(kernel.tree().driver(made.get(0).toString()).orElse(null))) {
      throw new IllegalStateException("enabled " + made.size() + " of " + vfs);
    }
    return made;
  }
}
