package dev.pcikit.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.model.PciAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceFilterTest {
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

  @Test
  void slotFiltersLikeLspci() {
    assertThat(DeviceFilter.slot("01:00.0").test(a)).isTrue();
    assertThat(DeviceFilter.slot("01:00.0").test(b)).isFalse(); // function differs
    assertThat(DeviceFilter.slot("01:00").test(b)).isTrue();
    assertThat(DeviceFilter.slot("0001:01:00.1").test(b)).isTrue();
    assertThat(DeviceFilter.slot("0001:01:00.1").test(a)).isFalse();
    assertThat(DeviceFilter.slot(".1").test(b)).isTrue();
    assertThat(DeviceFilter.slot("*:*.*").test(a)).isTrue();
    assertThat(DeviceFilter.slot("1:").test(a)).isTrue();
  }

  @Test
  void idFiltersLikeLspci() {
    assertThat(DeviceFilter.ids("8086:").test(a)).isTrue();
    assertThat(DeviceFilter.ids(":0010").test(b)).isTrue();
    assertThat(DeviceFilter.ids("::0108").test(b)).isTrue();
    assertThat(DeviceFilter.ids("::0108").test(a)).isFalse();
    assertThat(DeviceFilter.ids("1b36:0010:0108:02").test(b)).isTrue();
  }

  @Test
  void badFiltersSayWhatIsWrong() {
    assertThatThrownBy(() -> DeviceFilter.ids("8086")).hasMessageContaining("[vendor]:[device]");
    assertThatThrownBy(() -> DeviceFilter.slot("zz:00.0")).hasMessageContaining("not hexadecimal");
    assertThatThrownBy(() -> DeviceFilter.slot("00:40.0")).hasMessageContaining("out of range");
  }
}
