package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PseriesTopologyTest {
  @Test
  void readsPhbsDevicesAndPredictions() {
    PseriesTopology t =
        PseriesTopology.parse(
            List.of(
                "-M",
                "pseries",
                "-device",
                "e1000,id=a,bus=pci.0,addr=0x2",
                "-device",
                "spapr-pci-host-bridge,index=10,id=phbA,pcie-extended-configuration-space=off",
                "-device",
                "e1000e,id=b,bus=phbA.0,addr=0x1f.3",
                "-device",
                "spapr-pci-host-bridge,index=2,id=phbB",
                "-device",
                "nvme,id=c,bus=phbB.0,addr=0x1"));
    assertThat(t.phbs()).extracting(PseriesTopology.Phb::index).containsExactly(0, 10, 2);
    assertThat(t.phbs().get(1).dtNode()).isEqualTo("/pci@80000002000000a");
    assertThat(t.devices())
        .extracting(PseriesTopology.Device::bdf)
        .containsExactly("0000:00:02.0", "000a:00:1f.3", "0002:00:01.0");
    assertThat(t.devices())
        .extracting(PseriesTopology.Device::expectsExtendedConfig)
        .containsExactly(false, false, true);
  }

  @Test
  void aDeviceOffAnyPhbIsAnError() {
    assertThatThrownBy(
            () -> PseriesTopology.parse(List.of("-device", "e1000,id=a,bus=nowhere.0,addr=0x1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
