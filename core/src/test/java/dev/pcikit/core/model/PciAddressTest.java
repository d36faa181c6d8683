package dev.pcikit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PciAddressTest {
  @Test
  void parsesAndFormats() {
    assertThat(PciAddress.parse("0000:03:00.1").toString()).isEqualTo("0000:03:00.1");
    assertThat(PciAddress.parse("03:1f.7")).isEqualTo(new PciAddress(0, 3, 0x1f, 7));
    assertThat(PciAddress.parse("10000:00:00.0").domain()).isEqualTo(0x10000);
    assertThatThrownBy(() -> PciAddress.parse("03:00.8")).hasMessageContaining("not a PCI address");
    assertThatThrownBy(() -> PciAddress.parse("03:20.0")).hasMessageContaining("not a PCI address");
  }

  @Property
  void routingIdRoundTrips(@ForAll @IntRange(min = 0, max = 0xffff) int rid) {
    assertThat(PciAddress.fromRoutingId(0, rid).routingId()).isEqualTo(rid);
  }

  @Property
  void textRoundTrips(
      @ForAll @IntRange(min = 0, max = 0xffff) int dom,
      @ForAll @IntRange(min = 0, max = 255) int bus,
      @ForAll @IntRange(min = 0, max = 31) int dev,
      @ForAll @IntRange(min = 0, max = 7) int fn) {
    PciAddress a = new PciAddress(dom, bus, dev, fn);
    assertThat(PciAddress.parse(a.toString())).isEqualTo(a);
  }
}
