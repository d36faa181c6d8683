package dev.pcikit.sim.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.Capability;
import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.config.ExtendedCapability;
import dev.pcikit.core.config.PcieLink;
import dev.pcikit.core.config.PciePortType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Whatever the builder writes, the decoder reads back, field for field. */
class BuilderRoundTripPropertiesTest {

  @Property(tries = 200)
  void sriovFieldsRoundTrip(
      @ForAll @IntRange(max = 0xffff) int total,
      @ForAll @IntRange(max = 0xffff) int initial,
      @ForAll @IntRange(max = 0xffff) int num,
      @ForAll @IntRange(max = 0xffff) int offset,
      @ForAll @IntRange(max = 0xffff) int stride,
      @ForAll @IntRange(max = 0xffff) int vfDevice,
      @ForAll @IntRange(max = 0x3f) int control,
      @ForAll int pageSizes) {
    ConfigSpace cs =
        ConfigDecoder.decode(
            ConfigSpaceBuilder.endpoint(0x8086, 0x1572)
                .express(PciePortType.ENDPOINT)
                .aer()
                .sriov(
                    ConfigSpaceBuilder.sriov(total, vfDevice)
                        .initialVfs(initial)
                        .offset(offset)
                        .stride(stride)
                        .control(control)
                        .numVfs(num)
                        .supportedPageSizes(pageSizes))
                .build());
    ExtendedCapability.Sriov s = cs.sriov().orElseThrow();
    assertThat(s.totalVfs()).isEqualTo(total);
    assertThat(s.initialVfs()).isEqualTo(initial);
    assertThat(s.numVfs()).isEqualTo(num);
    assertThat(s.vfOffset()).isEqualTo(offset);
    assertThat(s.vfStride()).isEqualTo(stride);
    assertThat(s.vfDeviceId()).isEqualTo(vfDevice);
    assertThat(s.supportedPageSizes()).isEqualTo(pageSizes);
    // numVfs > 0 turns VF Enable and VF MSE on, as the kernel does when it enables VFs
    assertThat(s.control()).isEqualTo(num > 0 ? control | 0x9 : control);
    assertThat(cs.findings()).isEmpty();
  }

  @Property(tries = 200)
  void expressAndAcsRoundTrip(
      @ForAll PciePortType type,
      @ForAll @IntRange(min = 1, max = 6) int maxSpeed,
      @ForAll @IntRange(min = 1, max = 32) int maxWidth,
      @ForAll @IntRange(min = 1, max = 6) int speed,
      @ForAll @IntRange(min = 1, max = 32) int width,
      @ForAll boolean flr,
      @ForAll @IntRange(max = 0x7f) int acsCap,
      @ForAll @IntRange(max = 0x7f) int acsCtl) {
    if (type == PciePortType.UNKNOWN) {
      return;
    }
    ConfigSpace cs =
        ConfigDecoder.decode(
            ConfigSpaceBuilder.bridge(0x10b5, 0x8747)
                .express(type)
                .link(maxSpeed, maxWidth, speed, width)
                .flr(flr)
                .acs(acsCap, acsCtl)
                .build());
    Capability.Express e = cs.express().orElseThrow();
    assertThat(e.portType()).isEqualTo(type);
    assertThat(e.flr()).isEqualTo(flr);
    boolean linkless =
        type == PciePortType.ROOT_COMPLEX_INTEGRATED_ENDPOINT
            || type == PciePortType.ROOT_COMPLEX_EVENT_COLLECTOR;
    assertThat(e.link().isEmpty()).isEqualTo(linkless);
    e.link()
        .ifPresent(
            l -> {
              assertThat(l)
                  .extracting(
                      PcieLink::maxSpeed, PcieLink::maxWidth, PcieLink::speed, PcieLink::width)
                  .containsExactly(maxSpeed, maxWidth, speed, width);
            });
    ExtendedCapability.Acs acs = cs.acs().orElseThrow();
    assertThat(acs.capabilities().bits()).isEqualTo(acsCap);
    assertThat(acs.control().bits()).isEqualTo(acsCtl);
  }

  @Property(tries = 100)
  void msiAndMsixRoundTrip(
      @ForAll boolean is64,
      @ForAll @IntRange(max = 5) int log2,
      @ForAll boolean maskable,
      @ForAll boolean msiOn,
      @ForAll @IntRange(min = 1, max = 2048) int table,
      @ForAll boolean msixOn,
      @ForAll long serial) {
    ConfigSpace cs =
        ConfigDecoder.decode(
            ConfigSpaceBuilder.endpoint(1, 2)
                .msi(is64, log2, maskable, msiOn)
                .msix(table, msixOn)
                .express(PciePortType.ENDPOINT)
                .dsn(serial)
                .build());
    Capability.Msi msi = cs.capability(Capability.Msi.class).orElseThrow();
    assertThat(msi.is64Bit()).isEqualTo(is64);
    assertThat(msi.vectorsCapable()).isEqualTo(1 << log2);
    assertThat(msi.maskable()).isEqualTo(maskable);
    assertThat(msi.enabled()).isEqualTo(msiOn);
    Capability.MsiX x = cs.capability(Capability.MsiX.class).orElseThrow();
    assertThat(x.tableSize()).isEqualTo(table);
    assertThat(x.enabled()).isEqualTo(msixOn);
    assertThat(cs.extendedCapability(ExtendedCapability.Dsn.class).orElseThrow().serialNumber())
        .isEqualTo(serial);
  }
}
