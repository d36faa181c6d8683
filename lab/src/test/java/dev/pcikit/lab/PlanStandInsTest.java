package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** On the planner's golden pseries plan (5 functions, 6 PHBs of which 2 spare). */
class PlanStandInsTest {
  private static String resource(String name) throws Exception {
    try (var in = PlanStandInsTest.class.getResourceAsStream("/plan/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void replacesVfioPciByStandInsOfTheSameKindAndKeepsAddresses() throws Exception {
    List<String> args =
        PlanStandIns.topology(resource("pseries-plan.qemu.txt"), resource("pseries-plan.json"));
    assertThat(args)
        .contains(
            "-device spapr-pci-host-bridge,index=1,id=pci.1",
            "-device spapr-pci-host-bridge,index=6,id=pci.6",
            "-device e1000e,id=hostdev1,bus=pci.2.0,addr=0x1,multifunction=on",
            "-device e1000e,id=hostdev2,bus=pci.2.0,addr=0x1.0x1",
            "-device e1000,id=hostdev4,bus=pci.4.0,addr=0x1")
        .noneMatch(a -> a.contains("vfio-pci") || a.contains("numa_node"));
    PseriesTopology t =
        PseriesTopology.parse(
            args.stream()
                .filter(l -> !l.startsWith("#"))
                .flatMap(l -> Stream.of(l.split(" ")))
                .toList());
    assertThat(t.devices())
        .extracting(PseriesTopology.Device::bdf)
        .containsExactly(
            "0001:00:01.0", "0002:00:01.0", "0002:00:01.1", "0003:00:01.0", "0004:00:01.0");
  }

  @Test
  void predictsForTheStandInsNotForVfioPci() throws Exception {
    List<PlanStandIns.Prediction> p = PlanStandIns.predictions(resource("pseries-plan.json"));
    assertThat(p)
        .contains(
            new PlanStandIns.Prediction("0002:01:00.1", "0002:00:01.1", true, 1, 4096),
            // the plan says type 1 for the vfio-pci device; its conventional stand-in has none
            new PlanStandIns.Prediction("0003:01:00.0", "0004:00:01.0", false, null, 256));
  }
}
