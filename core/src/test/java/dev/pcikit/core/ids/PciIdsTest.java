package dev.pcikit.core.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PciIdsTest {
  static final String IDS =
      String.join(
          "\n",
          "# comment",
          "8086  Intel Corporation",
          "\t10d3  82574L Gigabit Network Connection",
          "\t\t8086 a01f  Gigabit CT Desktop Adapter",
          "1b36  Red Hat, Inc.",
          "\t0010  QEMU NVM Express Controller",
          "C 01  Mass storage controller",
          "\t08  Non-Volatile memory controller",
          "\t\t02  NVM Express",
          "C 02  Network controller",
          "\t00  Ethernet controller",
          "C 12  Processing accelerators",
          "");

  private final PciIds ids = PciIds.parse(IDS.getBytes(StandardCharsets.UTF_8), null);
  private final DeviceNames names = new DeviceNames(ids);

  @Test
  void looksUpVendorsDevicesSubsystemsAndClasses() {
    assertThat(ids.vendor(0x8086)).contains("Intel Corporation");
    assertThat(ids.device(0x8086, 0x10d3)).contains("82574L Gigabit Network Connection");
    assertThat(ids.subsystem(0x8086, 0x10d3, 0x8086, 0xa01f))
        .contains("Gigabit CT Desktop Adapter");
    // subsystem == device falls back to the device name (lib/names.c id_lookup_subsys)
    assertThat(ids.subsystem(0x1b36, 0x0010, 0x1b36, 0x0010))
        .contains("QEMU NVM Express Controller");
    assertThat(ids.className(0x010802)).contains("Non-Volatile memory controller");
    assertThat(ids.className(0x120000)).contains("Processing accelerators");
    assertThat(ids.progIf(0x010802)).contains("NVM Express");
  }

  @Test
  void formatsNamesLikeLspciNn() {
    assertThat(names.vendorDeviceText(0x8086, 0x10d3))
        .isEqualTo("Intel Corporation 82574L Gigabit Network Connection [8086:10d3]");
    assertThat(names.vendorDeviceText(0x8086, 0x1234))
        .isEqualTo("Intel Corporation Device [8086:1234]");
    assertThat(names.vendorDeviceText(0xabcd, 0x1234)).isEqualTo("Device [abcd:1234]");
    assertThat(names.classText(0x020000)).isEqualTo("Ethernet controller [0200]");
    assertThat(names.classText(0xff0000)).isEqualTo("Class [ff00]");
    assertThat(names.subVendorText(0xabcd)).isEqualTo("Unknown vendor [abcd]");
  }

  @Test
  void vendorFilterKeepsOnlyWantedVendors() {
    PciIds some = PciIds.parse(IDS.getBytes(StandardCharsets.UTF_8), Set.of(0x1b36));
    assertThat(some.vendor(0x8086)).isEmpty();
    assertThat(some.device(0x8086, 0x10d3)).isEmpty();
    assertThat(some.device(0x1b36, 0x0010)).isPresent();
    assertThat(some.className(0x020000)).contains("Ethernet controller");
  }
}
