package dev.pcikit.bench;

import dev.pcikit.core.vfio.ProcHostUsage;
import dev.pcikit.core.vfio.VfioDriverChooser;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.sim.SimKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The fixture of the write benchmarks: per invocation (not measured), a fresh {@link
 * SriovBenchHost} with vfio-pci loaded and a state directory on disk in java.io.tmpdir, so that the
 * journal's fsyncs are real.
 */
@State(Scope.Thread)
public abstract class FreshVfHost {
  @Param({"256"})
  int vfs;

  SimKernel kernel;
  Path root;

  /** The host before the measured operation. */
  abstract SimKernel boot(int vfs);

  @Setup(Level.Invocation)
  public void host() throws IOException {
    kernel = boot(vfs);
    kernel.modprobe("vfio-pci");
    root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pcikit-bench");
  }

  @TearDown(Level.Invocation)
  public void clean() throws IOException {
    try (Stream<Path> w = Files.walk(root)) {
      w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The kernel's VFIO environment with its state under the state directory. */
  VfioEnvironment vfio() {
    return VfioEnvironment.underRoot(
        kernel,
        root,
        new ProcHostUsage(root.resolve("proc")),
        kernel::modprobe,
        VfioDriverChooser.GENERIC);
  }
}
