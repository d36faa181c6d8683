package dev.pcikit.sim.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.AcsFlags;
import dev.pcikit.core.config.BridgeBuses;
import dev.pcikit.core.config.Capability;
import dev.pcikit.core.config.ConfigCoverage;
import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigFinding.Kind;
import dev.pcikit.core.config.ConfigHeader;
import dev.pcikit.core.config.ConfigRenderer;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.config.ExtendedCapability;
import dev.pcikit.core.config.PcieLink;
import dev.pcikit.core.config.PciePortType;
import org.junit.jupiter.api.Test;

/** Field-by-field decoding of config spaces made by {@link ConfigSpaceBuilder}. */
class ConfigDecoderTest {

  @Test
  void endpointHeader() {
    ConfigSpace cs =
        ConfigDecoder.decode(
            ConfigSpaceBuilder.endpoint(0x144d, 0xa808)
                .classCode(0x010802)
                .revision(0x05)
                .multifunction(true)
                .subsystem(0x144d, 0xa801)
                .command(0x0406)
                .interrupt(1, 0x10)
                .build());
    assertThat(cs.coverage()).isEqualTo(ConfigCoverage.EXTENDED);
    assertThat(cs.findings()).isEmpty();
    ConfigHeader h = cs.header().orElseThrow();
    assertThat(h.vendorId()).isEqualTo(0x144d);
    assertThat(h.deviceId()).isEqualTo(0xa808);
    assertThat(h.classCode()).isEqualTo(0x010802);
    assertThat(h.baseClass()).isEqualTo(0x01);
    assertThat(h.subClass()).isEqualTo(0x08);
    assertThat(h.programmingInterface()).isEqualTo(0x02);
    assertThat(h.revision()).isEqualTo(5);
    assertThat(h.layout()).isZero();
    assertThat(h.multifunction()).isTrue();
    assertThat(h.subsystemVendorId()).isEqualTo(0x144d);
    assertThat(h.subsystemDeviceId()).isEqualTo(0xa801);
    assertThat(h.command().memorySpace()).isTrue();
    assertThat(h.command().busMaster()).isTrue();
    assertThat(h.command().ioSpace()).isFalse();
    assertThat(h.command().intxDisabled()).isTrue();
    assertThat(h.interruptPin()).isEqualTo(1);
    assertThat(h.interruptLine()).isEqualTo(0x10);
    assertThat(h.hasCapabilityList()).isFalse();
    assertThat(h.buses()).isEmpty();
    assertThat(cs.capabilities()).isEmpty();
  }

  @Test
  void bridgeBusesAndSubsystemCapability() {
    ConfigSpace cs =
        ConfigDecoder.decode(
            ConfigSpaceBuilder.bridge(0x10b5, 0x8747)
                .buses(2, 3, 7)
                .subsystem(0x10b5, 0x1234)
                .express(PciePortType.DOWNSTREAM_PORT)
                .build());
    ConfigHeader h = cs.header().orElseThrow();
    assertThat(h.isBridge()).isTrue();
    assertThat(h.classCode()).isEqualTo(0x060400);
    assertThat(h.buses()).contains(new BridgeBuses(2, 3, 7, 0));
    assertThat(h.subsystemVendorId()).isEqualTo(-1);
    assertThat(cs.capability(Capability.SubsystemId.class).orElseThrow().subsystemDeviceId())
        .isEqualTo(0x1234);
    Capability.Express e = cs.express().orElseThrow();
    assertThat(e.portType()).isEqualTo(PciePortType.DOWNSTREAM_PORT);
    assertThat(e.slotImplemented()).isTrue();
  }

  @Test
  void standardCapabilities() {
    ConfigSpaceBuilder b =
        ConfigSpaceBuilder.endpoint(0x8086, 0x1572)
            .powerManagement()
            .msi(true, 3, true, true)
            .msix(129, true)
            .express(PciePortType.ENDPOINT)
            .link(4, 16, 3, 8)
            .flr(true);
    ConfigSpace cs = ConfigDecoder.decode(b.build());
    assertThat(cs.capabilities())
        .extracting(Capability::offset)
        .containsExactly(
            b.capabilityOffset(0),
            b.capabilityOffset(1),
            b.capabilityOffset(2),
            b.capabilityOffset(3));
    assertThat(cs.capabilities())
        .extracting(Capability::id)
        .containsExactly(0x01, 0x05, 0x11, 0x10);

    Capability.PowerManagement pm = cs.capability(Capability.PowerManagement.class).orElseThrow();
    assertThat(pm.version()).isEqualTo(3);
    assertThat(pm.powerState()).isZero();
    assertThat(pm.noSoftReset()).isTrue();

    Capability.Msi msi = cs.capability(Capability.Msi.class).orElseThrow();
    assertThat(msi.is64Bit()).isTrue();
    assertThat(msi.vectorsCapable()).isEqualTo(8);
    assertThat(msi.enabled()).isTrue();
    assertThat(msi.maskable()).isTrue();

    Capability.MsiX msix = cs.capability(Capability.MsiX.class).orElseThrow();
    assertThat(msix.tableSize()).isEqualTo(129);
    assertThat(msix.enabled()).isTrue();
    assertThat(msix.tableBar()).isZero();
    assertThat(msix.tableOffset()).isEqualTo(0x2000);

    Capability.Express e = cs.express().orElseThrow();
    assertThat(e.portType()).isEqualTo(PciePortType.ENDPOINT);
    assertThat(e.version()).isEqualTo(2);
    assertThat(e.flr()).isTrue();
    assertThat(cs.flrCapable()).isTrue();
    PcieLink l = e.link().orElseThrow();
    assertThat(l.maxSpeed()).isEqualTo(4);
    assertThat(l.maxSpeedName()).isEqualTo("16GT/s");
    assertThat(l.maxWidth()).isEqualTo(16);
    assertThat(l.speedName()).isEqualTo("8GT/s");
    assertThat(l.width()).isEqualTo(8);
  }

  @Test
  void integratedEndpointHasNoLink() {
    ConfigSpace cs =
        ConfigDecoder.decode(
            ConfigSpaceBuilder.endpoint(1, 2)
                .express(PciePortType.ROOT_COMPLEX_INTEGRATED_ENDPOINT)
                .build());
    assertThat(cs.express().orElseThrow().link()).isEmpty();
    assertThat(cs.flrCapable()).isFalse();
  }

  @Test
  void sriovCapability() {
    ConfigSpaceBuilder b =
        ConfigSpaceBuilder.endpoint(0x8086, 0x1572)
            .express(PciePortType.ENDPOINT)
            .aer()
            .sriov(
                ConfigSpaceBuilder.sriov(64, 0x154c)
                    .initialVfs(32)
                    .numVfs(8)
                    .offset(16)
                    .stride(2)
                    .control(0x19)
                    .supportedPageSizes(0x553)
                    .systemPageSize(1));
    ConfigSpace cs = ConfigDecoder.decode(b.build());
    ExtendedCapability.Sriov s = cs.sriov().orElseThrow();
    assertThat(s.offset()).isEqualTo(b.extendedCapabilityOffset(1));
    assertThat(s.version()).isEqualTo(1);
    assertThat(s.totalVfs()).isEqualTo(64);
    assertThat(s.initialVfs()).isEqualTo(32);
    assertThat(s.numVfs()).isEqualTo(8);
    assertThat(s.vfOffset()).isEqualTo(16);
    assertThat(s.vfStride()).isEqualTo(2);
    assertThat(s.vfDeviceId()).isEqualTo(0x154c);
    assertThat(s.vfEnable()).isTrue();
    assertThat(s.vfMemorySpaceEnable()).isTrue();
    assertThat(s.ariCapableHierarchy()).isTrue();
    assertThat(s.supportedPageSizes()).isEqualTo(0x553);
    assertThat(s.systemPageSize()).isEqualTo(1);
  }

  @Test
  void sriovDefaultsAreDisabledWithInitialEqualToTotal() {
    ExtendedCapability.Sriov s =
        ConfigDecoder.decode(
                ConfigSpaceBuilder.endpoint(1, 2)
                    .express(PciePortType.ENDPOINT)
                    .sriov(ConfigSpaceBuilder.sriov(7, 3))
                    .build())
            .sriov()
            .orElseThrow();
    assertThat(s.numVfs()).isZero();
    assertThat(s.initialVfs()).isEqualTo(7);
    assertThat(s.vfEnable()).isFalse();
  }

  @Test
  void acsAriAtsPasidPriDsnAer() {
    ConfigSpace cs =
        ConfigDecoder.decode(
            ConfigSpaceBuilder.endpoint(1, 2)
                .express(PciePortType.ENDPOINT)
                .acs(
                    AcsFlags.SV | AcsFlags.RR | AcsFlags.CR | AcsFlags.UF | AcsFlags.DT,
                    AcsFlags.RR | AcsFlags.CR)
                .ari(5)
                .ats(4, true)
                .pasid(20, true)
                .pri(512, true)
                .dsn(0x0011223344556677L)
                .aer()
                .build());
    ExtendedCapability.Acs acs = cs.acs().orElseThrow();
    assertThat(acs.capabilities().sourceValidation()).isTrue();
    assertThat(acs.capabilities().translationBlocking()).isFalse();
    assertThat(acs.capabilities().directTranslated()).isTrue();
    assertThat(acs.capabilities().has(AcsFlags.SV | AcsFlags.RR | AcsFlags.CR | AcsFlags.UF))
        .isTrue();
    assertThat(acs.control().requestRedirect()).isTrue();
    assertThat(acs.control().completionRedirect()).isTrue();
    assertThat(acs.control().sourceValidation()).isFalse();
    assertThat(acs.control().upstreamForwarding()).isFalse();
    assertThat(acs.control().egressControl()).isFalse();

    assertThat(cs.ari().orElseThrow().nextFunction()).isEqualTo(5);
    ExtendedCapability.Ats ats = cs.extendedCapability(ExtendedCapability.Ats.class).orElseThrow();
    assertThat(ats.invalidateQueueDepth()).isEqualTo(4);
    assertThat(ats.enabled()).isTrue();
    ExtendedCapability.Pasid pasid =
        cs.extendedCapability(ExtendedCapability.Pasid.class).orElseThrow();
    assertThat(pasid.maxWidth()).isEqualTo(20);
    assertThat(pasid.enabled()).isTrue();
    ExtendedCapability.Pri pri = cs.extendedCapability(ExtendedCapability.Pri.class).orElseThrow();
    assertThat(pri.outstandingCapacity()).isEqualTo(512);
    assertThat(pri.enabled()).isTrue();
    ExtendedCapability.Dsn dsn = cs.extendedCapability(ExtendedCapability.Dsn.class).orElseThrow();
    assertThat(dsn.serialNumber()).isEqualTo(0x0011223344556677L);
    assertThat(dsn.formatted()).isEqualTo("00-11-22-33-44-55-66-77");
    ExtendedCapability.Aer aer = cs.extendedCapability(ExtendedCapability.Aer.class).orElseThrow();
    assertThat(aer.version()).isEqualTo(2);
    assertThat(aer.uncorrectableStatus()).isZero();
    assertThat(cs.extendedCapabilities())
        .extracting(ExtendedCapability::name)
        .containsExactly(
            "Access Control Services",
            "Alternative Routing-ID Interpretation (ARI)",
            "Address Translation Service (ATS)",
            "Process Address Space ID (PASID)",
            "Page Request Interface (PRI)",
            "Device Serial Number",
            "Advanced Error Reporting");
  }

  @Test
  void conventionalExpressDeviceSaysExtendedSpaceWasNotReadable() {
    ConfigSpace pcie =
        ConfigDecoder.decode(
            ConfigSpaceBuilder.endpoint(1, 2)
                .express(PciePortType.ENDPOINT)
                .conventional()
                .build());
    assertThat(pcie.coverage()).isEqualTo(ConfigCoverage.CONVENTIONAL);
    assertThat(pcie.hasFinding(Kind.EXTENDED_NOT_READABLE)).isTrue();
    assertThat(pcie.extendedReadable()).isFalse();

    ConfigSpace pci =
        ConfigDecoder.decode(
            ConfigSpaceBuilder.endpoint(1, 2).powerManagement().conventional().build());
    assertThat(pci.coverage()).isEqualTo(ConfigCoverage.CONVENTIONAL);
    assertThat(pci.findings()).isEmpty();
  }

  /** A VF reads its IDs as ffff and Mem- by design; it is decoded, and not shown as disabled. */
  @Test
  void virtualFunction() {
    byte[] vf =
        ConfigSpaceBuilder.endpoint(0x8086, 0x154c)
            .express(PciePortType.ENDPOINT)
            .msix(4, true)
            .virtualFunction()
            .build();
    ConfigSpace cs = ConfigDecoder.decode(vf);
    assertThat(cs.responding()).isTrue();
    assertThat(cs.hasFinding(Kind.IDS_ALL_ONES)).isTrue();
    assertThat(cs.header().orElseThrow().vendorId()).isEqualTo(0xffff);
    assertThat(cs.header().orElseThrow().command().memorySpace()).isFalse();
    assertThat(cs.header().orElseThrow().command().memoryDecodingOff(true)).isFalse();
    assertThat(cs.header().orElseThrow().command().memoryDecodingOff(false)).isTrue();
    assertThat(cs.capability(Capability.MsiX.class)).isPresent();

    String asVf = ConfigRenderer.render(cs, new ConfigRenderer.Options(true));
    assertThat(asVf).contains("DisINTx- (VF: Mem- by design");
    assertThat(asVf).contains("ID ffff:ffff (VF: reads ffff by design").doesNotContain("Note:");
    String asUnknown = ConfigRenderer.render(cs);
    assertThat(asUnknown).doesNotContain("VF: Mem- by design");
    assertThat(asUnknown).contains("Note: vendor/device ID read as ffff");
  }
}
