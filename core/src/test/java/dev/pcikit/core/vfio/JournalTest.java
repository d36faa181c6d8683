package dev.pcikit.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one journal: a typed stack in one file, and the previous version's two files. */
class JournalTest {
  @TempDir Path dir;

  private static final Journal.SriovEnableEntry ENABLE =
      new Journal.SriovEnableEntry(PciAddress.parse("0000:17:00.0"), true, 4, 0, true);
  private static final Journal.BindingEntry BIND =
      new Journal.BindingEntry(
          Operation.BIND,
          false,
          Journal.Phase.RUN,
          "unbind",
          List.of(
              new Transition(
                  PciAddress.parse("0000:17:00.1"), Binding.NONE, Target.vfio("vfio-pci"))));

  @Test
  void anEnableAndTheBindInsideItAreTwoEntriesOfOneFile() throws IOException {
    Journal outer = new Journal(dir);
    outer.push(ENABLE);
    Journal inner = new Journal(dir);
    inner.push(BIND);
    inner.replaceTop(BIND.with(Journal.Phase.ROLLBACK, "probe"));
    assertThat(Files.readString(outer.file()))
        .isEqualTo(
            "pcikit-journal 2\n"
                + "entry sriov-enable\npf 0000:17:00.0\nfor vfio\ncount 4\nprior-numvfs 0\n"
                + "prior-autoprobe 1\n"
                + "entry binding\nop bind\npersist no\nphase rollback\nstep probe\n"
                + "device 0000:17:00.1 - - vfio-pci vfio-pci\n");
    assertThat(new Journal(dir).read())
        .containsExactly(ENABLE, BIND.with(Journal.Phase.ROLLBACK, "probe"));
    inner.pop();
    assertThat(new Journal(dir).read()).containsExactly(ENABLE);
    outer.pop();
    assertThat(outer.file()).doesNotExist();
    assertThat(outer.exists()).isFalse();
  }

  @Test
  void thePreviousVersionsFilesAreReadAsOneStackAndReplacedByTheFirstWrite() throws IOException {
    Files.writeString(
        dir.resolve("sriov-journal"),
        "pcikit-sriov-journal 1\npf 0000:17:00.0\nfor vfio\ncount 4\nprior-numvfs 0\n"
            + "prior-autoprobe 1\n");
    Files.writeString(
        dir.resolve("journal"),
        "pcikit-journal 1\nop bind\npersist no\nphase run\nstep unbind\n"
            + "device 0000:17:00.1 - - vfio-pci vfio-pci\n");
    Journal j = new Journal(dir);
    assertThat(j.read()).containsExactly(ENABLE, BIND);
    j.pop(); // the bind recovered
    assertThat(dir.resolve("sriov-journal")).doesNotExist();
    assertThat(Files.readString(j.file())).startsWith("pcikit-journal 2\nentry sriov-enable\n");
    assertThat(new Journal(dir).read()).containsExactly(ENABLE);
  }

  @Test
  void aLeftoverSriovJournalNextToAVersion2FileWasMergedAlready() throws IOException {
    new Journal(dir).push(ENABLE);
    // a crash between writing the version-2 file and deleting the old one
    Files.writeString(
        dir.resolve("sriov-journal"),
        "pcikit-sriov-journal 1\npf 0000:17:00.0\nfor vfio\ncount 4\nprior-numvfs 0\n"
            + "prior-autoprobe 1\n");
    assertThat(new Journal(dir).read()).containsExactly(ENABLE);
    Journal j = new Journal(dir);
    j.pop();
    assertThat(j.exists()).isFalse();
  }

  @Test
  void aDamagedVersion2FileIsBadInputNamingTheLine() throws IOException {
    Journal j = new Journal(dir);
    Files.writeString(j.file(), "pcikit-journal 2\nop bind\n");
    assertThatThrownBy(j::read)
        .isInstanceOfSatisfying(
            PcikitException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_INPUT))
        .hasMessageContaining("line 2: expected 'entry KIND'");
    Files.writeString(j.file(), "pcikit-journal 2\nentry reboot\n");
    assertThatThrownBy(j::read).hasMessageContaining("line 2: unknown entry 'reboot'");
    Files.writeString(j.file(), "pcikit-journal 2\nentry sriov-enable\npf 0000:17:00.0\n");
    assertThatThrownBy(j::read).hasMessageContaining("no 'for' line");
  }
}
