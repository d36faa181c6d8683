package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotFixturesTest {
  private static final List<String> OUTPUT =
      List.of(
          "noise before",
          "=====BEGIN PCI SYSFS SNAPSHOT v2=====",
          "# comment",
          "H kernel 6.1.0-56-amd64",
          "D 0000:01:00.0 /sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0",
          "A 0000:01:00.0 power/runtime_active_time 1234",
          "L 0000:01:00.0 iommu_group ../../../../kernel/iommu_groups/7",
          "G 7 type identity",
          "G 7 devices 0000:01:00.0 ",
          "R nvme 0000:01:00.0 ",
          "=====END PCI SYSFS SNAPSHOT=====",
          "noise after");

  @Test
  void keepsTheSnapshotBetweenItsMarkers() {
    List<String> s = SnapshotFixtures.extract(OUTPUT);
    assertThat(s).hasSize(10).startsWith("=====BEGIN PCI SYSFS SNAPSHOT v2=====");
    assertThat(s.get(s.size() - 1)).isEqualTo("=====END PCI SYSFS SNAPSHOT=====");
  }

  @Test
  void stableRecordsAreTopologyGroupsAndBindingsOnly() {
    assertThat(SnapshotFixtures.stableRecords(SnapshotFixtures.extract(OUTPUT)))
        .containsExactly(
            "D 0000:01:00.0 /sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0",
            "G 7 devices 0000:01:00.0",
            "R nvme 0000:01:00.0");
  }

  @Test
  void anUnfinishedSnapshotIsRefused() {
    assertThatThrownBy(() -> SnapshotFixtures.extract(OUTPUT.subList(0, 5)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
