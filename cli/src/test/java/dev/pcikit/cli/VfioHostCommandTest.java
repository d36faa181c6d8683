package dev.pcikit.cli;

import static dev.pcikit.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.sim.DemoStateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The vfio commands on a demo host (--host): a whole workflow across separate invocations. */
class VfioHostCommandTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  @Test
  void bindPersistStatusReleaseOnTheWorkstation() throws Exception {
    String host = "--host=demo:x86-workstation";
    Run refused = run(host, "vfio", "bind", "01:00.0");
    assertThat(refused.code()).isEqualTo(5);
    assertThat(refused.err()).contains("shared with 0000:01:00.1 (snd_hda_intel)");
    Run bind = run(host, "vfio", "bind", "--group", "--force", "--persist", "01:00.0");
    assertThat(bind.code()).as(bind.err()).isZero();
    assertThat(bind.out())
        .contains("0000:01:00.0: nouveau -> vfio-pci (override vfio-pci)")
        .contains("0000:01:00.1: snd_hda_intel -> vfio-pci (override vfio-pci)");
    assertThat(bind.err()).contains("boot VGA");
    Run status = run(host, "vfio", "status");
    assertThat(status.out())
        .contains(
            "0000:01:00.1  10de:10f8  vfio-pci (override vfio-pci)  group 1  bound by pcikit,"
                + " prior: snd_hda_intel  [persisted]");
    Path conf =
        state.path().resolve("demo/x86-workstation.snapshot.pcikit/etc/pcikit/vfio-bindings.conf");
    assertThat(Files.readAllLines(conf))
        .anyMatch(l -> l.startsWith("0000:01:00.0 10de:1e84 vfio-pci strength="));
    Run release = run(host, "vfio", "release", "01:00");
    assertThat(release.code()).as(release.err()).isZero();
    assertThat(release.out()).contains("0000:01:00.0: vfio-pci (override vfio-pci) -> nouveau");
    assertThat(run(host, "vfio", "status").out()).contains("VFIO devices:\n  none");
  }

  @Test
  void applyPersistedNeverBindsADifferentDeviceAtTheRecordedAddress() throws Exception {
    String host = "--host=demo:x86-workstation";
    Path conf =
        state.path().resolve("demo/x86-workstation.snapshot.pcikit/etc/pcikit/vfio-bindings.conf");
    Files.createDirectories(conf.getParent());
    // recorded below a root port this host does not have: whatever is at 01:00.0 is another card
    Files.writeString(
        conf,
        "0000:01:00.0 10de:1e84 vfio-pci strength=path-only path=pci0000:00/1b.0/00.0 pos=00.0"
            + " ids=10de:1e84:0000:0000 class=030000 rev=a1\n");
    Run r = run(host, "vfio", "apply-persisted");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(11);
    assertThat(r.err()).contains("a different device is at the recorded address");
    assertThat(r.out()).contains("nothing to do");
    assertThat(run(host, "vfio", "apply-persisted", "--on-move", "maybe").code()).isEqualTo(2);
  }
}
