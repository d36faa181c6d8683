package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.Binding;
import dev.pcikit.core.vfio.Journal;
import dev.pcikit.core.vfio.Operation;
import dev.pcikit.core.vfio.Target;
import dev.pcikit.core.vfio.Transition;
import dev.pcikit.sim.DemoStateDir;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** recover --dry-run shows the undo writes and leaves the journal; recover then does them. */
class RecoverCommandTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  @Test
  void dryRunShowsTheUndoAndChangesNothing() throws Exception {
    String host = "--host=demo:x86-workstation";
    assertThat(CliRun.run(host, "vfio", "bind", "0000:03:00.0").code()).isZero();
    // a bind that died before its commit: the device is on vfio-pci, the journal says it was igb
    Journal journal =
        new Journal(state.path().resolve("demo/x86-workstation.snapshot.pcikit/var/lib/pcikit"));
    journal.push(
        new Journal.BindingEntry(
            Operation.BIND,
            false,
            Journal.Phase.RUN,
            "verify",
            List.of(
                new Transition(
                    PciAddress.parse("0000:03:00.0"),
                    new Binding("igb", null),
                    Target.vfio("vfio-pci")))));

    Run dry = CliRun.run(host, "recover", "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .startsWith("# undoes the interrupted bind (stopped at step verify)\n")
        .contains("echo > /sys/bus/pci/devices/0000:03:00.0/driver_override")
        .contains("echo 0000:03:00.0 > /sys/bus/pci/devices/0000:03:00.0/driver/unbind");
    assertThat(journal.exists()).isTrue();
    assertThat(CliRun.run(host, "vfio", "status").out())
        .contains("0000:03:00.0  8086:1539  vfio-pci");

    Run done = CliRun.run(host, "recover", "-o", "json");
    assertThat(done.code()).as(done.err()).isZero();
    assertThat(done.out())
        .contains("\"operation\" : \"BINDING\"")
        .contains("undid an interrupted bind");
    assertThat(journal.exists()).isFalse();
    assertThat(CliRun.run(host, "recover", "--dry-run").out()).isEqualTo("# nothing to recover\n");
  }
}
