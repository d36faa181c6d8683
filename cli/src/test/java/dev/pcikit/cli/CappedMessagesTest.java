package dev.pcikit.cli;

import static dev.pcikit.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 100,000 bogus entries give a summary on stderr, not 100,000 lines. */
class CappedMessagesTest {
  @TempDir Path root;

  @Test
  void aHundredThousandPersistedBindingsForAbsentDevices() throws Exception {
    TreeMaterializer.materialize(DemoHosts.load("power9"), root.resolve("sys"));
    StringBuilder conf = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      // domain, device and function vary: 100,000 distinct addresses, none on this host
      conf.append(
          String.format(
              "%04x:ff:%02x.%d 8086:1521 vfio-pci%n", i / 256 + 0x100, (i % 256) / 8, i % 8));
    }
    Files.createDirectories(root.resolve("etc/pcikit"));
    Files.writeString(root.resolve("etc/pcikit/vfio-bindings.conf"), conf);
    Run r = run("--root", root.toString(), "vfio", "apply-persisted");
    assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(Capped.MAX + 2);
    assertThat(r.err()).contains("... and 99980 more notes (100000 in all)");
  }

  @Test
  void aHundredThousandBadAliasLines() throws Exception {
    TreeMaterializer.materialize(DemoHosts.load("power9"), root.resolve("sys"));
    Files.createDirectories(root.resolve("proc/sys/kernel"));
    Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-test\n");
    Path mods = root.resolve("lib/modules/6.1.0-test");
    Files.createDirectories(mods);
    StringBuilder bad = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      bad.append("alias pci:v*d*sv*sd*bc*sc*i* \u00ffbad").append(i).append('\n');
    }
    Files.writeString(
        mods.resolve("modules.alias"), bad, java.nio.charset.StandardCharsets.ISO_8859_1);
    Run r = run("--root", root.toString(), "drivers", "0000:01:00.0");
    assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(2 * Capped.MAX + 4);
    assertThat(r.err()).contains("more warnings");
  }
}
