package dev.pcikit.bench;

import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.SnapshotReader;
import dev.pcikit.sim.snapshot.SysfsRecorder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a {@code --host} command pays around its own work: loading a host snapshot, recording it
 * back (the save after a write command), and a rebind on the simulated kernel. Results:
 * docs/benchmarks-sim.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SimHostBenchmark {
  @Param({"x86-workstation", "nic-farm"})
  public String host;

  private String text;
  private HostSysfs loaded;
  private SimKernel kernel;

  @Setup(Level.Trial)
  public void setUp() {
    text = DemoHosts.text(host);
    loaded = SnapshotReader.read(text, host);
  }

  @Setup(Level.Invocation)
  public void freshKernel() {
    if (host.equals("x86-workstation")) {
      kernel = new SimKernel(DemoHosts.load(host));
    }
  }

  @Benchmark
  public HostSysfs load() {
    return SnapshotReader.read(text, host);
  }

  @Benchmark
  public String record() throws IOException {
    return SysfsRecorder.record(loaded);
  }

  /** unbind igb, driver_override vfio-pci, drivers_probe: one device moved to vfio-pci. */
  @Benchmark
  public SimKernel rebindToVfio() throws IOException {
    if (kernel == null) {
      return null;
    }
    kernel.write("bus/pci/drivers/igb/unbind", "0000:03:00.0");
    kernel.write("bus/pci/devices/0000:03:00.0/driver_override", "vfio-pci");
    kernel.write("bus/pci/drivers_probe", "0000:03:00.0");
    return kernel;
  }
}
