package dev.pcikit.sim.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.Capability;
import dev.pcikit.core.config.ConfigCoverage;
import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigFinding;
import dev.pcikit.core.config.ConfigFinding.Kind;
import dev.pcikit.core.config.ConfigRenderer;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.config.ExtendedCapability;
import dev.pcikit.core.config.PciePortType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Bad config data: each case yields a clear finding (shown by the renderer), no exception, and no
 * invented data.
 */
class ConfigBadInputTest {

  static ConfigSpaceBuilder nic() {
    return ConfigSpaceBuilder.endpoint(0x8086, 0x10d3)
        .classCode(0x020000)
        .powerManagement() // 0x40, 8 bytes
        .msi(true, 0, false, false) // 0x48, 0x18 bytes
        .express(PciePortType.ENDPOINT) // 0x60, 0x3c bytes
        .msix(5, true) // 0x9c
        .aer() // 0x100
        .sriov(ConfigSpaceBuilder.sriov(8, 0x10ca)) // 0x148
        .dsn(1); // 0x188
  }

  static ConfigSpace decode(byte[] data) {
    ConfigSpace cs = ConfigDecoder.decode(data);
    // every finding is rendered, whatever else happens
    String text = ConfigRenderer.render(cs);
    for (ConfigFinding f : cs.findings()) {
      if (f.kind() != Kind.NEEDS_ROOT
          && f.kind() != Kind.NOT_RESPONDING
          && f.kind() != Kind.TRUNCATED) {
        assertThat(text).contains(f.message());
      }
    }
    return cs;
  }

  @Test
  void layoutAssumedBelow() {
    ConfigSpaceBuilder b = nic();
    assertThat(
            new int[] {
              b.capabilityOffset(0),
              b.capabilityOffset(1),
              b.capabilityOffset(2),
              b.capabilityOffset(3)
            })
        .containsExactly(0x40, 0x48, 0x60, 0x9c);
    assertThat(
            new int[] {
              b.extendedCapabilityOffset(0),
              b.extendedCapabilityOffset(1),
              b.extendedCapabilityOffset(2)
            })
        .containsExactly(0x100, 0x148, 0x188);
  }

  @Test
  void truncatedConfig() {
    ConfigSpace cs = decode(Arrays.copyOf(nic().build(), 40));
    assertThat(cs.coverage()).isEqualTo(ConfigCoverage.TRUNCATED);
    assertThat(cs.header()).isEmpty();
    assertThat(cs.findings()).extracting(ConfigFinding::kind).containsExactly(Kind.TRUNCATED);
    assertThat(cs.findings().get(0).message()).contains("40 bytes");
    assertThat(ConfigRenderer.render(cs)).contains("truncated (40 bytes readable)");
  }

  @Test
  void emptyAndNullConfig() {
    assertThat(decode(new byte[0]).coverage()).isEqualTo(ConfigCoverage.TRUNCATED);
    assertThat(ConfigDecoder.decode(null).coverage()).isEqualTo(ConfigCoverage.TRUNCATED);
  }

  @Test
  void allOnesConfigIsNotResponding() {
    for (int size : new int[] {64, 256, 4096}) {
      byte[] data = new byte[size];
      Arrays.fill(data, (byte) 0xff);
      ConfigSpace cs = decode(data);
      assertThat(cs.coverage()).isEqualTo(ConfigCoverage.NOT_RESPONDING);
      assertThat(cs.header()).isEmpty();
      assertThat(cs.capabilities()).isEmpty();
      assertThat(cs.extendedCapabilities()).isEmpty();
      assertThat(cs.findings())
          .extracting(ConfigFinding::kind)
          .containsExactly(Kind.NOT_RESPONDING);
      assertThat(ConfigRenderer.render(cs)).contains("not responding").contains("EEH");
    }
  }

  @Test
  void sixtyFourBytesNeedRoot() {
    ConfigSpace cs = decode(Arrays.copyOf(nic().build(), 64));
    assertThat(cs.coverage()).isEqualTo(ConfigCoverage.HEADER_ONLY);
    assertThat(cs.header().orElseThrow().vendorId()).isEqualTo(0x8086);
    assertThat(cs.header().orElseThrow().hasCapabilityList()).isTrue();
    assertThat(cs.capabilities()).isEmpty();
    assertThat(cs.extendedCapabilities()).isEmpty();
    assertThat(cs.findings()).extracting(ConfigFinding::kind).containsExactly(Kind.NEEDS_ROOT);
    assertThat(ConfigRenderer.render(cs))
        .contains("capabilities need root")
        .contains("Capabilities: <access denied>")
        .doesNotContain("Express");
  }

  @Test
  void standardChainThatLoops() {
    // Express (0x60) points back to MSI (0x48)
    ConfigSpace cs = decode(nic().poke8(0x61, 0x48).build());
    assertThat(cs.capabilities()).extracting(Capability::offset).containsExactly(0x40, 0x48, 0x60);
    assertThat(cs.findings()).extracting(ConfigFinding::kind).containsExactly(Kind.CAP_LOOP);
    assertThat(cs.findings().get(0).message()).contains("loops back to 0x48");
    // extended space is still decoded
    assertThat(cs.sriov()).isPresent();
  }

  @Test
  void capabilityPointingToItself() {
    ConfigSpace cs = decode(nic().poke8(0x41, 0x40).build());
    assertThat(cs.capabilities()).extracting(Capability::offset).containsExactly(0x40);
    assertThat(cs.hasFinding(Kind.CAP_LOOP)).isTrue();
  }

  @Test
  void extendedChainThatLoops() {
    // DSN (0x188) points back to SR-IOV (0x148): next field is bits 31:20
    ConfigSpace cs = decode(nic().poke32(0x188, 0x0003 | 1 << 16 | 0x148 << 20).build());
    assertThat(cs.extendedCapabilities())
        .extracting(ExtendedCapability::offset)
        .containsExactly(0x100, 0x148, 0x188);
    assertThat(cs.findings()).extracting(ConfigFinding::kind).containsExactly(Kind.EXT_CAP_LOOP);
  }

  @Test
  void pointerIntoTheHeader() {
    ConfigSpace first = decode(nic().poke8(0x34, 0x10).build());
    assertThat(first.capabilities()).isEmpty();
    assertThat(first.findings())
        .extracting(ConfigFinding::kind)
        .containsExactly(Kind.CAP_POINTER_INTO_HEADER);
    assertThat(first.findings().get(0).message()).contains("0x10");

    ConfigSpace later = decode(nic().poke8(0x49, 0x08).build());
    assertThat(later.capabilities()).extracting(Capability::offset).containsExactly(0x40, 0x48);
    assertThat(later.hasFinding(Kind.CAP_POINTER_INTO_HEADER)).isTrue();
  }

  @Test
  void extendedPointerBelowExtendedSpace() {
    ConfigSpace cs = decode(nic().poke32(0x148, 0x0010 | 1 << 16 | 0x80 << 20).build());
    assertThat(cs.extendedCapabilities())
        .extracting(ExtendedCapability::offset)
        .containsExactly(0x100, 0x148);
    assertThat(cs.findings())
        .extracting(ConfigFinding::kind)
        .containsExactly(Kind.EXT_CAP_POINTER_INVALID);
  }

  @Test
  void capabilityPastTheEndOfReadableData() {
    // 0x70 bytes readable: PM and MSI fit, Express at 0x60 is cut, MSI-X at 0x9c is past the end
    ConfigSpace cs = decode(Arrays.copyOf(nic().build(), 0x70));
    assertThat(cs.coverage()).isEqualTo(ConfigCoverage.PARTIAL);
    assertThat(cs.capabilities()).extracting(Capability::offset).containsExactly(0x40, 0x48, 0x60);
    assertThat(cs.capabilities().get(2)).isInstanceOf(Capability.Other.class);
    assertThat(cs.express()).isEmpty();
    assertThat(cs.findings())
        .extracting(ConfigFinding::kind)
        .containsExactly(Kind.PARTIAL, Kind.CAP_TRUNCATED, Kind.CAP_PAST_END);
  }

  @Test
  void extendedCapabilityCutOffAtTheEnd() {
    // DSN points to an SR-IOV header at 0xff0: its registers would run past 4096 bytes
    ConfigSpace cs =
        decode(
            nic()
                .poke32(0x188, 0x0003 | 1 << 16 | 0xff0 << 20)
                .poke32(0xff0, 0x0010 | 1 << 16)
                .build());
    assertThat(cs.extendedCapabilities())
        .last()
        .isEqualTo(new ExtendedCapability.Other(0xff0, 0x10, 1));
    assertThat(cs.findings())
        .extracting(ConfigFinding::kind)
        .containsExactly(Kind.EXT_CAP_TRUNCATED);
  }

  @Test
  void brokenChainWithAllOnesId() {
    ConfigSpace cs = decode(nic().poke8(0x48, 0xff).build());
    assertThat(cs.capabilities()).extracting(Capability::offset).containsExactly(0x40);
    assertThat(cs.findings())
        .extracting(ConfigFinding::kind)
        .containsExactly(Kind.CAP_CHAIN_BROKEN);
  }

  @Test
  void unknownHeaderLayout() {
    ConfigSpace cs = decode(nic().poke8(0x0e, 0x7e).build());
    assertThat(cs.header().orElseThrow().layout()).isEqualTo(0x7e);
    assertThat(cs.capabilities()).isEmpty();
    assertThat(cs.hasFinding(Kind.UNKNOWN_HEADER_TYPE)).isTrue();
  }

  /** Non-root readers of a CardBus bridge get 128 bytes (pci-sysfs.c), not 64. */
  @Test
  void cardbusBridgeNeedsRootAt128Bytes() {
    byte[] cb =
        ConfigSpaceBuilder.endpoint(0x104c, 0xac56)
            .poke8(0x0e, 0x02)
            .poke8(0x06, 0x10)
            .poke8(0x14, 0x80)
            .size(128)
            .build();
    ConfigSpace cs = decode(cb);
    assertThat(cs.coverage()).isEqualTo(ConfigCoverage.HEADER_ONLY);
    assertThat(cs.header().orElseThrow().layout()).isEqualTo(2);
    assertThat(cs.capabilities()).isEmpty();
    assertThat(cs.hasFinding(Kind.NEEDS_ROOT)).isTrue();
    // 128 bytes of an ordinary endpoint are just truncated data, walked as far as it goes
    ConfigSpace ep = decode(Arrays.copyOf(nic().build(), 128));
    assertThat(ep.coverage()).isEqualTo(ConfigCoverage.PARTIAL);
  }
}
