package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.sim.DemoStateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCommandTest {
  @TempDir Path tmp;
  String out;
  String err;

  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  int run(String... args) {
    CliRun.Run r = CliRun.run(args);
    out = r.out();
    err = r.err();
    return r.code();
  }

  @Test
  void materializeADemoHost() {
    Path dir = tmp.resolve("p9");
    assertThat(run("snapshot", "materialize", "demo:power9", dir.toString())).isZero();
    assertThat(out).contains("sysfs.path=" + dir.toAbsolutePath().resolve("bus/pci"));
    assertThat(Files.isSymbolicLink(dir.resolve("bus/pci/devices/0001:01:00.0"))).isTrue();
    assertThat(run("snapshot", "materialize", "demo:power9", dir.toString())).isEqualTo(5);
  }

  @Test
  void recordAHostFileAndARootTree() throws Exception {
    Path tree = tmp.resolve("root");
    assertThat(run("snapshot", "materialize", "demo:s390x", tree.resolve("sys").toString()))
        .isZero();
    Path a = tmp.resolve("a.snapshot");
    assertThat(run("snapshot", "--root", tree.toString(), "--out", a.toString())).as(err).isZero();
    assertThat(Files.readString(a)).contains("D 0000:00:00.0 /sys/devices/pci0000:00/0000:00:00.0");
    Path b = tmp.resolve("b.snapshot");
    assertThat(run("snapshot", "--host", a.toString(), "--out", b.toString())).as(err).isZero();
    assertThat(Files.readString(b)).isEqualTo(Files.readString(a));
    assertThat(run("snapshot", "--host", "demo:s390x")).isZero();
    assertThat(out).startsWith("=====BEGIN PCI SYSFS SNAPSHOT v2=====").contains("H arch s390x");
  }

  @Test
  void badSnapshotIsOneLineAndExitFour() throws Exception {
    Path bad = tmp.resolve("bad.snapshot");
    Files.writeString(bad, "=====BEGIN PCI SYSFS SNAPSHOT v9=====\n");
    assertThat(run("snapshot", "--host", bad.toString())).isEqualTo(4);
    assertThat(err.strip()).startsWith("pcikit: snapshot ").contains("v9").doesNotContain("\n");
    assertThat(run("snapshot", "materialize", bad.toString(), tmp.resolve("x").toString()))
        .isEqualTo(4);
  }

  @Test
  void demosAndReset() {
    assertThat(run("snapshot", "demos")).isZero();
    assertThat(out).contains("demo:nic-farm");
    assertThat(run("snapshot", "reset-demo", "power9")).isZero();
    assertThat(run("snapshot", "--root", "/tmp", "--host", "demo:power9")).isEqualTo(2);
  }

  @Test
  void writesThroughTheSimulatedKernelAreSavedAfterAnyCommand() throws Exception {
    Path f = tmp.resolve("h.snapshot");
    assertThat(run("snapshot", "--host", "demo:s390x", "--out", f.toString())).isZero();
    dev.pcikit.sim.HostSession s = dev.pcikit.sim.HostSession.open(f.toString());
    s.sysfs().write("bus/pci/drivers/nvme/unbind", "0003:00:00.0");
    s.save();
    // a read command on the file sees the write; the file is unchanged by it
    String before = Files.readString(f);
    assertThat(run("snapshot", "--host", f.toString())).isZero();
    assertThat(out).doesNotContain("L 0003:00:00.0 driver ");
    assertThat(Files.readString(f)).isEqualTo(before);
  }
}
