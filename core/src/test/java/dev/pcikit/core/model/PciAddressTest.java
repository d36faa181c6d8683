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

  /** A record with PciAddress's components and the generated equals and hashCode. */
  private record Generated(int domain, int bus, int device, int function) {}

  @Property
  void equalsAndHashCodeAreTheRecordsGeneratedOnes(
      @ForAll @IntRange(min = 0, max = 0xffff) int dom,
      @ForAll @IntRange(min = 0, max = 255) int bus,
      @ForAll @IntRange(min = 0, max = 31) int dev,
      @ForAll @IntRange(min = 0, max = 7) int fn,
      @ForAll @IntRange(min = 0, max = 3) int which) {
    // the same hash keeps the iteration order of every HashMap and HashSet of addresses
    PciAddress a = new PciAddress(dom, bus, dev, fn);
    assertThat(a.hashCode()).isEqualTo(new Generated(dom, bus, dev, fn).hashCode());
    assertThat(a).isEqualTo(new PciAddress(dom, bus, dev, fn));
    PciAddress other =
        switch (which) {
          case 0 -> new PciAddress(dom + 1, bus, dev, fn);
          case 1 -> new PciAddress(dom, bus ^ 1, dev, fn);
          case 2 -> new PciAddress(dom, bus, dev ^ 1, fn);
          default -> new PciAddress(dom, bus, dev, fn ^ 1);
        };
    assertThat(a).isNotEqualTo(other);
    assertThat(a).isNotEqualTo((Object) a.toString());
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
