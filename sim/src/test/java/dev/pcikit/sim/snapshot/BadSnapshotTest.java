package dev.pcikit.sim.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BadSnapshotTest {
  @TempDir Path tmp;

  static final String GOOD = Fixtures.text(Fixtures.X86_LAB);

  static void rejected(String text, String messagePart) {
    assertThatThrownBy(() -> SnapshotReader.read(text, "f.snapshot"))
        .isInstanceOfSatisfying(
            PcikitException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_INPUT))
        .hasMessageContaining("f.snapshot")
        .hasMessageContaining(messagePart);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.33, 0.5, 0.77, 0.999})
  void truncatedAnywhereIsOneClearError(double where) {
    rejected(GOOD.substring(0, (int) (GOOD.length() * where)), "");
  }

  @Test
  void missingEndLineIsTruncation() {
    rejected(GOOD.replace("=====END PCI SYSFS SNAPSHOT=====", ""), "truncated");
  }

  @Test
  void newerVersionIsRefusedWithTheVersionNamed() {
    rejected(GOOD.replace("SNAPSHOT v1=====", "SNAPSHOT v3====="), "format v3, newer than");
  }

  @Test
  void notASnapshot() {
    rejected("hello\n", "not a PCI sysfs snapshot");
    rejected("", "empty");
  }

  @Test
  void corruptRecords() {
    rejected(GOOD.replace("config hoDA", "config *oDA"), "bad base64");
    rejected(GOOD.replace("T 0000:00:00.0 resource 13", "T 0000:00:00.0 resource 14"), "'| line'");
    rejected(GOOD.replace("A 0000:00:00.0 vendor", "Q 0000:00:00.0 vendor"), "unknown record");
    rejected(GOOD.replace("A 0000:00:00.0 vendor", "A 0000:09:00.0 vendor"), "before its D record");
    rejected(
        GOOD.replace("L 0000:00:00.0 subsystem ../../../bus/pci", "L 0000:00:00.0 subsystem /etc"),
        "relative");
    rejected(
        GOOD.replace(
            "L 0000:00:00.0 subsystem ../../../bus/pci",
            "L 0000:00:00.0 subsystem ../../../../../x"),
        "leaves the tree");
    rejected(GOOD.replace("A 0000:00:00.0 vendor", "A 0000:00:00.0 ../../vendor"), "bad attribute");
    rejected(GOOD.replace("G 3 type identity", "G x type identity"), "bad group number");
    rejected(
        GOOD.replace("D 0000:00:00.0 /sys/devices", "D 0000:00:00.0 /tmp/devices"), "device path");
  }

  @Test
  void linksThatChainThroughAnotherLinkOutOfTheTreeAreRejected() {
    String nvme = "L 0000:01:00.0 driver ../../../../bus/pci/drivers/nvme\n";
    assertThat(GOOD).contains(nvme);
    // 'up' alone stays inside (it is the root); 'esc' looks inside lexically (up/.. cancels)
    rejected(
        GOOD.replace(
            nvme, nvme + "L 0000:01:00.0 up ../../../..\nL 0000:01:00.0 esc up/../../../../x\n"),
        "0000:01:00.0/esc: leaves the tree");
    rejected(GOOD.replace(nvme, nvme + "L 0000:01:00.0 a b\nL 0000:01:00.0 b a\n"), "a loop");
    SnapshotReader.read(GOOD.replace(nvme, nvme + "L 0000:01:00.0 up ../../../..\n"), "ok");
  }

  @Test
  void v2RecordsNeedTheV2Header() {
    rejected(GOOD.replace("# kernel 6.1", "H arch x86_64\n# kernel 6.1"), "needs format v2");
  }

  @Test
  void filesThatAreNotUtf8OrAbsent() throws Exception {
    Path f = tmp.resolve("bin.snapshot");
    Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    assertThatThrownBy(() -> Snapshots.load(f))
        .isInstanceOfSatisfying(
            PcikitException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_INPUT));
    assertThatThrownBy(() -> Snapshots.load(tmp.resolve("none")))
        .isInstanceOfSatisfying(
            PcikitException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_FOUND));
  }

  @Test
  void atomicSaveLeavesNoTemporaryFiles() throws Exception {
    Path f = tmp.resolve("host.snapshot");
    Snapshots.save(Fixtures.x86Lab(), f);
    Snapshots.save(Snapshots.load(f), f);
    assertThat(Files.list(tmp).toList()).containsExactly(f);
    assertThat(Files.readString(f)).startsWith("=====BEGIN PCI SYSFS SNAPSHOT v2=====");
  }
}
