package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.host.LockedHost;
import dev.pcikit.core.host.Recovery;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.Journal;
import dev.pcikit.core.vfio.Transition;
import dev.pcikit.core.vfio.VfioEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedHostTest {
  @TempDir Path tmp;
  static final PciAddress NIC = PciAddress.parse("0000:03:00.0");

  @Test
  void aLockedWriteIsSavedForTheNextOpening() throws Exception {
    Map<String, String> env = Map.of("PCIKIT_STATE_DIR", tmp.toString());
    SimulatedHost host = SimulatedHost.open("demo:x86-workstation", env);
    try (LockedHost locked = host.lock(Duration.ofSeconds(5))) {
      assertThat(locked.recovered()).isEmpty();
      VfioEngine engine = locked.vfio();
      engine.execute(
          engine.planBind(
              new VfioEngine.BindRequest(
                  VfioEngine.exactly(List.of(NIC)), false, null, false, false)));
    }
    SimulatedHost again = SimulatedHost.open("demo:x86-workstation", env);
    assertThat(again.sysfs().linkName("bus/pci/devices/0000:03:00.0/driver")).hasValue("vfio-pci");
    assertThat(again.vfio().status().records()).containsKey(NIC);
  }

  @Test
  void takingTheLockRecoversAnInterruptedBind() throws Exception {
    Map<String, String> env = Map.of("PCIKIT_STATE_DIR", tmp.toString());
    SimulatedHost host = SimulatedHost.open("demo:x86-workstation", env);
    VfioEngine.Plan plan =
        host.vfio()
            .planBind(
                new VfioEngine.BindRequest(
                    VfioEngine.exactly(List.of(NIC)), false, null, false, false));
    Transition t = plan.transitions().get(0);
    // a bind that died after planning: its journal is all that is left
    new Journal(host.layout().stateDir())
        .push(
            new Journal.BindingEntry(
                dev.pcikit.core.vfio.Operation.BIND,
                false,
                Journal.Phase.RUN,
                "unbind",
                List.of(t)));
    try (LockedHost locked = host.lock(Duration.ofSeconds(5))) {
      assertThat(locked.recovered())
          .extracting(Recovery.Recovered::operation)
          .containsExactly(Recovery.Operation.BINDING);
      assertThat(locked.vfio().journal().exists()).isFalse();
    }
    assertThat(
            SimulatedHost.open("demo:x86-workstation", env)
                .sysfs()
                .linkName("bus/pci/devices/0000:03:00.0/driver"))
        .hasValue("igb");
  }

  @Test
  void moduleAliasesAreThoseOfTheSimulatedKernel() {
    SimulatedHost host =
        SimulatedHost.open("demo:nic-farm", Map.of("PCIKIT_STATE_DIR", tmp.toString()));
    String modalias = host.kernel().tree().attr("0000:17:00.0", "modalias").orElseThrow();
    assertThat(host.moduleAliases().modulesFor(modalias)).containsExactly("ice");
  }

  @Test
  void holdersAreTheGroupsTheSimulatedVmsHoldOpen() throws Exception {
    SimulatedHost host =
        SimulatedHost.open("demo:x86-workstation", Map.of("PCIKIT_STATE_DIR", tmp.toString()));
    assertThat(host.holders().groups()).isEmpty();
    try (LockedHost locked = host.lock(Duration.ofSeconds(5))) {
      VfioEngine engine = locked.vfio();
      engine.execute(
          engine.planBind(
              new VfioEngine.BindRequest(
                  VfioEngine.exactly(List.of(NIC)), false, null, false, false)));
    }
    int group =
        Integer.parseInt(host.sysfs().linkName("bus/pci/devices/" + NIC + "/iommu_group").get());
    host.kernel().openGroup(group);
    assertThat(host.holders().of(NIC, group))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.pid()).isZero(); // a simulated VM is no process
              assertThat(h.comm()).isEqualTo("a simulated VM");
            });
    host.kernel().closeGroup(group);
    assertThat(host.holders().groups()).isEmpty();
  }
}
