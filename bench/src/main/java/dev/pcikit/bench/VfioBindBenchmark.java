package dev.pcikit.bench;

import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.vfio.ProcHostUsage;
import dev.pcikit.core.vfio.VfioDriverChooser;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.sim.SimKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code pcikit vfio bind -d 15b3:1018} in one transaction: all VFs of a PF, bound to mlx5_core,
 * moved to vfio-pci on the simulated kernel — planning (group and host-safety checks), the batched
 * writes, the read-back verification, the journal (real fsyncs in a temp dir on disk) and the
 * binding records. One fresh host per invocation (not measured).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 30)
@Fork(1)
public class VfioBindBenchmark {
  @Param({"256"})
  int vfs;

  private SimKernel kernel;
  private Path root;

  @Setup(Level.Invocation)
  public void host() throws IOException {
    kernel = SriovBenchHost.boot(vfs);
    kernel.modprobe("vfio-pci");
    root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pcikit-bench");
  }

  @TearDown(Level.Invocation)
  public void clean() throws IOException {
    try (Stream<Path> w = Files.walk(root)) {
      w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public VfioEngine.Outcome bindAllVfs() throws IOException {
    VfioEngine e =
        new VfioEngine(
            VfioEnvironment.underRoot(
                kernel,
                root,
                new ProcHostUsage(root.resolve("proc")),
                kernel::modprobe,
                VfioDriverChooser.GENERIC));
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
