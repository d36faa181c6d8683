package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.ids.PciIdsLocator;
import dev.pcikit.core.sysfs.SystemRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'list' says once where device names would come from when no pci.ids is there. */
class DeviceNamesNoteTest {
  @TempDir Path tmp;

  @Test
  void theNoteNamesTheLocationsAndTheWayOut() {
    assertThat(HostAccess.missingNamesNote(true)).isEmpty();
    assertThat(HostAccess.missingNamesNote(false))
        .hasValueSatisfying(
            n ->
                assertThat(n)
                    .startsWith("no pci.ids database (/usr/share/hwdata/pci.ids, ")
                    .endsWith("or name one with --pci-ids FILE"));
  }

  @Test
  void listPrintsItOnceExactlyWhenThisMachineHasNoPciIds() throws Exception {
    boolean found = PciIdsLocator.find(new SystemRoot(Path.of("/"))).isPresent();
    CliRun.Run r = CliRun.run("--host=demo:x86-workstation", "list", "-s", "03:00");
    assertThat(r.code()).as(r.err()).isZero();
    int notes = r.err().split("no pci.ids database", -1).length - 1;
    assertThat(notes).isEqualTo(found ? 0 : 1);
    // an explicit file: no note, whatever the machine has
    Path ids = Files.writeString(tmp.resolve("pci.ids"), "8086  Intel Corporation\n");
    CliRun.Run named =
        CliRun.run(
            "--host=demo:x86-workstation", "--pci-ids", ids.toString(), "list", "-s", "03:00");
    assertThat(named.err()).doesNotContain("no pci.ids database");
    assertThat(named.out()).contains("Intel Corporation");
  }
}
