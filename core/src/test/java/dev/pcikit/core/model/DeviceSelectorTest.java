package dev.pcikit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.inventory.PciDevice;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one selector grammar (lspci -s / -d); {@code SelectorVsLspciTest} checks it against lspci.
 */
class DeviceSelectorTest {
  private static PciDevice dev(String bdf, int vendor, int device, int cls) {
    return new PciDevice(
        PciAddress.parse(bdf),
        "",
        vendor,
        device,
        -1,
        -1,
        cls,
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        -1,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "",
        new byte[0],
        0,
        List.of());
  }

  private final PciDevice a = dev("0000:01:00.0", 0x8086, 0x10d3, 0x020000);
  private final PciDevice b = dev("0001:01:00.1", 0x1b36, 0x0010, 0x010802);

  private static boolean test(DeviceSelector s, PciDevice d) {
    return s.matches(d.address(), d.vendor(), d.device(), d.classCode());
  }

  @Test
  void slotFiltersLikeLspci() {
    assertThat(test(DeviceSelector.slot("01:00.0"), a)).isTrue();
    assertThat(test(DeviceSelector.slot("01:00.1"), b)).isTrue(); // no domain: any domain
    assertThat(test(DeviceSelector.slot("01:00.0"), b)).isFalse(); // function differs
    assertThat(test(DeviceSelector.slot("01:00"), b)).isTrue();
    assertThat(test(DeviceSelector.slot("0001:01:00.1"), b)).isTrue();
    assertThat(test(DeviceSelector.slot("0001:01:00.1"), a)).isFalse();
    assertThat(test(DeviceSelector.slot(".1"), b)).isTrue();
    assertThat(test(DeviceSelector.slot("*:*.*"), a)).isTrue();
    assertThat(test(DeviceSelector.slot("1:"), a)).isTrue();
    assertThat(test(DeviceSelector.slot("00000001:01:00.1"), b)).isTrue(); // leading zeros
    assertThat(DeviceSelector.slot("1:2:3.4").exactAddress()).contains(new PciAddress(1, 2, 3, 4));
    assertThat(DeviceSelector.slot("2:3.4").exactAddress()).isEmpty();
  }

  @Test
  void idFiltersLikeLspci() {
    assertThat(test(DeviceSelector.ids("8086:"), a)).isTrue();
    assertThat(test(DeviceSelector.ids(":0010"), b)).isTrue();
    assertThat(test(DeviceSelector.ids("::0108"), b)).isTrue();
    assertThat(test(DeviceSelector.ids("::0108"), a)).isFalse();
    assertThat(test(DeviceSelector.ids("::01xx"), b)).isTrue();
    assertThat(test(DeviceSelector.ids("::1"), b)).isFalse(); // class 0x0001, not 0x01xx
    assertThat(test(DeviceSelector.ids("1b36:0010:0108:02"), b)).isTrue();
    assertThat(test(DeviceSelector.ids("1b36:0010:0108:01"), b)).isFalse();
  }

  @Test
  void bareArgumentsAreIdsOnlyWithOneColonAndALongPart() {
    assertThat(DeviceSelector.parse("8086:1521")).isInstanceOf(DeviceSelector.Ids.class);
    assertThat(DeviceSelector.parse("01:00")).isInstanceOf(DeviceSelector.Slot.class);
    assertThat(DeviceSelector.parse("1:0.1")).isInstanceOf(DeviceSelector.Slot.class);
    assertThat(DeviceSelector.parse("0000:01:00")).isInstanceOf(DeviceSelector.Slot.class);
  }

  @Test
  void writeNarrownessIsASlotWithItsBusOrADeviceModel() {
    assertThat(DeviceSelector.parse("03:00").namesDevices()).isTrue();
    assertThat(DeviceSelector.parse("0000:03:00.1").namesDevices()).isTrue();
    assertThat(DeviceSelector.ids("8086:1521").namesDevices()).isTrue();
    for (String wide : new String[] {"", "*", "::", "*:*.*", "03:", ".1", "0000::"}) {
      assertThat(DeviceSelector.slot(wide).namesDevices()).as(wide).isFalse();
    }
    assertThat(DeviceSelector.ids("8086:").namesDevices()).isFalse();
    assertThat(DeviceSelector.ids("::0200").namesDevices()).isFalse();
    assertThat(DeviceSelector.slot("").matchesEverything()).isTrue();
    assertThat(DeviceSelector.slot("*:*:*.*").matchesEverything()).isTrue();
    assertThat(DeviceSelector.ids(":").matchesEverything()).isTrue();
    assertThat(DeviceSelector.ids("::xxxx").matchesEverything()).isTrue();
  }

  @Test
  void negativeNumbersOtherScriptsDigitsAndOutOfRangeAreUsageErrors() {
    String[] slots = {
      "0:-1:0.0",
      "-1",
      "+1:00.0",
      "0x1:00.0",
      " 01:00.0",
      "01:00.0 ",
      "\uff10\uff11:00.0",
      "\u0661:00.0",
      "01:20.0",
      "01:00.8",
      "100:00.0",
      "80000000:00:00.0",
      "1:2:3:4",
      "01:00.0.1",
      "zz:00.0",
      "01:00.0\n",
      "%s".formatted("0".repeat(64))
    };
    for (String s : slots) {
      String t = s.translateEscapes();
      assertThatThrownBy(() -> DeviceSelector.slot(t))
          .as(t)
          .isInstanceOf(PcikitException.class)
          .extracting(x -> ((PcikitException) x).failure())
          .isEqualTo(Failure.INVALID_ARGUMENT);
    }
    String[] ids = {"-1:-1", "8086", "8086:1521:0200:00:0", "10000:0", "\uff18086:0", ":", ""};
    for (String s : ids) {
      String t = s.translateEscapes();
      if (t.equals(":")) {
        assertThat(DeviceSelector.ids(t).matchesEverything()).isTrue();
        continue;
      }
      assertThatThrownBy(() -> DeviceSelector.ids(t))
          .as(t)
          .isInstanceOf(PcikitException.class)
          .extracting(x -> ((PcikitException) x).failure())
          .isEqualTo(Failure.INVALID_ARGUMENT);
    }
    assertThatThrownBy(() -> DeviceSelector.slot("0:-1:0.0")).hasMessageContaining("bus number");
    assertThatThrownBy(() -> DeviceSelector.ids("8086")).hasMessageContaining("[vendor]:[device]");
    assertThatThrownBy(() -> DeviceSelector.slot("00:40.0")).hasMessageContaining("at most 1f");
  }
}
