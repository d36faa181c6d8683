package dev.pcikit.cli;

import static dev.pcikit.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.sim.DemoStateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A careless script on a demo host: empty and host-wide selectors on write commands are usage
 * errors (exit 2, one line) whatever --force says, dry-runs included, and nothing changes.
 */
class WriteSelectorsCommandTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  static final String HOST = "--host=demo:x86-workstation";

  @Test
  void emptyAndHostWideSelectorsAreRefusedOnEveryWriteCommand() throws Exception {
    String before = run(HOST, "vfio", "status").out();
    List<List<String>> writes = new ArrayList<>();
    for (String sel :
        new String[] {
          "",
          "*",
          "::",
          "*:*.*",
          ":",
          "00:",
          ".0",
          "0000::",
          "-d=:",
          "-d=8086:",
          "-d=::0200",
          "-s=",
          "-d="
        }) {
      for (String cmd : new String[] {"bind", "release"}) {
        for (String extra : new String[] {"--force", "--dry-run"}) {
          writes.add(List.of(HOST, "vfio", cmd, extra, sel));
        }
      }
      writes.add(List.of(HOST, "vfio", "bind", "--group", "--force", "--yes", sel));
    }
    for (List<String> w : writes) {
      Run r = run(w.toArray(String[]::new));
      assertThat(r.code()).as(w + ": " + r.err()).isEqualTo(2);
      assertThat(r.err().lines().count()).as(w + ": " + r.err()).isEqualTo(1);
      assertThat(r.out()).as(w.toString()).isEmpty();
    }
    assertThat(run(HOST, "vfio", "status").out()).isEqualTo(before);
    Path journal = state.path().resolve("demo/x86-workstation.snapshot.pcikit/var/lib/pcikit");
    assertThat(Files.exists(journal.resolve("journal"))).isFalse();
    assertThat(Files.exists(journal.resolve("bindings"))).isFalse();
  }

  @Test
  void selectorsThatTogetherTakeEveryDeviceAreRefused() {
    // every slot of the workstation, each one narrow: together the whole host
    String list = run(HOST, "list").out();
    List<String> args = new ArrayList<>(List.of(HOST, "vfio", "bind", "--dry-run", "--force"));
    list.lines().skip(1).forEach(l -> args.add(l.substring(5, 12))); // BB:SS.F, no domain
    Run r = run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("match every device of the host");
  }

  @Test
  void lenientSelectorsAreUsageErrorsOnReadCommandsToo() {
    for (String[] a :
        new String[][] {
          {"list", "-s", "0:-1:0.0"},
          {"list", "-d", "-1:-1"},
          {"list", "-s", "\uff10\uff11:00.0"},
          {"list", "-s", "\u0661:00.0"},
          {"groups", "-s", "100:00.0"},
          {"check", "01:00.8"},
          {"show", "0000:01:00.-1"},
          {"show", "01:00"}
        }) {
      List<String> args = new ArrayList<>(List.of(HOST));
      args.addAll(List.of(a));
      Run r = run(args.toArray(String[]::new));
      assertThat(r.code()).as(args + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).startsWith("pcikit: ");
    }
  }

  @Test
  void aHostDriverIsNeverABindTargetHereOrInTheVfPool() {
    String before = run(HOST, "vfio", "status").out();
    Run nvme = run(HOST, "vfio", "bind", "--force", "--driver", "nvme", "0000:03:00.0");
    assertThat(nvme.code()).as(nvme.err()).isEqualTo(2);
    assertThat(nvme.err())
        .isEqualTo(
            "pcikit: --driver: 'nvme' is not a VFIO driver; pcikit binds"
                + " only vfio-pci and VFIO PCI variant drivers (modules with a vfio_pci: alias, e.g."
                + " mlx5_vfio_pci)\n");
    assertThat(run(HOST, "vfio", "status").out()).isEqualTo(before);
    String farm = "--host=demo:nic-farm";
    String pools = run(farm, "sriov", "status").out();
    Run sriov = run(farm, "sriov", "enable", "0000:17:00.0", "--vfs", "4", "--driver", "ixgbevf");
    assertThat(sriov.code()).as(sriov.err()).isEqualTo(2);
    assertThat(run(farm, "sriov", "status").out()).isEqualTo(pools);
  }
}
