package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void readsTheQemuArgumentsThatPcikitPlanPrints(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("plan.args");
    Files.writeString(
        f,
        "# -M pseries (PHB 0 / pci.0 is for emulated devices)\n"
            + "-device spapr-pci-host-bridge,index=1,id=pci.1,numa_node=0 \\\n"
            + "-device spapr-pci-host-bridge,index=2,id=pci.2 \\\n"
            + "-device e1000e,id=hostdev0,bus=pci.1.0,addr=0x1,multifunction=on \\\n"
            + "-device e1000e,id=hostdev1,bus=pci.1.0,addr=0x1.0x1\n");
    PseriesTopology t = PseriesTopology.read(f);
    assertThat(t.phbs())
        .extracting(PseriesTopology.Phb::rootBus)
        .containsExactly("pci.0", "pci.1.0", "pci.2.0");
    assertThat(t.devices())
        .extracting(PseriesTopology.Device::bdf)
        .containsExactly("0001:00:01.0", "0001:00:01.1");
  }

  @Test
  void aDeviceOffAnyPhbIsAnError() {
    assertThatThrownBy(
            () -> PseriesTopology.parse(List.of("-device", "e1000,id=a,bus=nowhere.0,addr=0x1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
