package dev.pcikit.bench;

import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.vfio.VfioEngine;
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
 * {@code pcikit vfio bind -d 15b3:1018} in one transaction: all VFs of a PF, bound to mlx5_core,
 * moved to vfio-pci on the simulated kernel — planning (group and host-safety checks), the batched
 * writes, the read-back verification, the journal (real fsyncs in a temp dir on disk) and the
 * binding records. One fresh host per invocation (not measured).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 30)
@Fork(1)
public class VfioBindBenchmark extends FreshVfHost {
  @Override
  SimKernel boot(int vfs) {
    return SriovBenchHost.boot(vfs);
  }

  @Benchmark
  public VfioEngine.Outcome bindAllVfs() throws IOException {
    VfioEngine e = new VfioEngine(vfio());
    VfioEngine.Outcome o =
        e.execute(
            e.planBind(
                new VfioEngine.BindRequest(
                    List.of(DeviceSelector.ids("15b3:1018")), false, null, false, false)));
    if (o.done().size() != vfs) {
      throw new IllegalStateException("bound " + o.done().size() + " of " + vfs);
    }
    return o;
  }
}
