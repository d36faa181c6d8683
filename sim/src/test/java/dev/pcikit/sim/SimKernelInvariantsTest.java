package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.sysfs.SysfsException;
import dev.pcikit.sim.snapshot.SnapshotReader;
import dev.pcikit.sim.snapshot.SysfsRecorder;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever sequence of writes a caller makes (most of them refused), the simulated kernel keeps a
 * consistent sysfs: links both ways, groups and their members, VFs and their PF, and a snapshot of
 * the state reads back to the same snapshot.
 */
class SimKernelInvariantsTest {
  static final List<String> BDFS =
      List.of(
          "0000:01:00.0",
          "0000:03:00.0",
          "0000:03:00.1",
          "0000:06:00.0",
          "0000:08:01.0",
          "0000:02:00.0",
          "0000:01:1f.3",
          "0000:0a:00.0");
  static final List<String> DRIVERS =
      List.of("vfio-pci", "nvme", "e1000e", "i40e", "e1000", "pci-stub");

  @Provide
  Arbitrary<List<List<Integer>>> ops() {
    return Arbitraries.integers().between(0, 99).list().ofSize(3).list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 60)
  void stateStaysConsistent(@ForAll("ops") List<List<Integer>> ops) throws IOException {
    SimKernel k = TestHosts.sample().boot();
    for (List<Integer> op : ops) {
      apply(k, op.get(0) % 11, BDFS.get(op.get(1) % BDFS.size()), op.get(2));
      checkInvariants(k);
    }
    String snap = SysfsRecorder.record(k);
    assertThat(SysfsRecorder.record(SnapshotReader.read(snap, "state"))).isEqualTo(snap);
  }

  private static void apply(SimKernel k, int kind, String bdf, int n) throws IOException {
    String drv = DRIVERS.get(n % DRIVERS.size());
    String dev = "bus/pci/devices/" + bdf + "/";
    try {
      switch (kind) {
        case 0 -> k.write("bus/pci/drivers/" + drv + "/unbind", bdf);
        case 1 -> k.write("bus/pci/drivers/" + drv + "/bind", bdf);
        case 2 -> k.write(dev + "driver_override", n % 3 == 0 ? "\n" : drv);
        case 3 -> k.write("bus/pci/drivers_probe", bdf);
        case 4 -> k.write("bus/pci/devices/0000:01:00.0/sriov_numvfs", Integer.toString(n % 12));
        case 5 -> k.write(dev + "remove", "1");
        case 6 -> k.write("bus/pci/rescan", "1");
        case 7 ->
            k.write("bus/pci/drivers/" + drv + "/new_id", n % 2 == 0 ? "8086 10d3" : "144d a824");
        case 8 -> {
          Optional<Integer> g = k.tree().bdfs().contains(bdf) ? boxed(k, bdf) : Optional.empty();
          if (g.isPresent()) {
            if (k.groupOpen(g.get())) {
              k.closeGroup(g.get());
            } else {
              k.openGroup(g.get());
            }
          }
        }
        case 9 ->
            k.write("bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe", n % 2 == 0 ? "0" : "1");
        default -> k.write("bus/pci/drivers/" + drv + "/remove_id", "8086 10d3");
      }
    } catch (SysfsException e) {
      // refusals are part of the game; the state must stay consistent anyway
    }
  }

  private static Optional<Integer> boxed(SimKernel k, String bdf) {
    return k.tree().group(bdf).isPresent()
        ? Optional.of(k.tree().group(bdf).getAsInt())
        : Optional.empty();
  }

  static void checkInvariants(SimKernel k) throws IOException {
    DeviceTree t = k.tree();
    HostSysfs fs = k.host();
    for (String bdf : t.bdfs()) {
      String dir = t.dir(bdf);
      assertThat(fs.isDirectory(dir)).as(bdf).isTrue();
      Optional<String> drv = t.driver(bdf);
      if (drv.isPresent()) {
        assertThat(fs.realDir("bus/pci/drivers/" + drv.get() + "/" + bdf)).isEqualTo(dir);
      }
      if (t.group(bdf).isPresent()) {
        assertThat(t.groupDevices(t.group(bdf).getAsInt())).contains(bdf);
      }
      List<String> vfs = t.virtfns(bdf);
      // a VF removed on its own leaves a gap that sriov_numvfs still counts
      assertThat(Integer.parseInt(t.attr(bdf, "sriov_numvfs").orElse("0")))
          .isGreaterThanOrEqualTo(vfs.size());
      for (String vf : vfs) {
        assertThat(t.physfn(vf)).hasValue(bdf);
      }
    }
    for (String d : fs.list("bus/pci/drivers")) {
      for (String bdf : t.driverDevices(d)) {
        assertThat(t.driver(bdf)).as("driver link of " + bdf).hasValue(d);
      }
    }
    for (int g : t.groups()) {
      assertThat(t.groupDevices(g)).as("group " + g).isNotEmpty();
      for (String bdf : t.groupDevices(g)) {
        assertThat(t.group(bdf)).hasValue(g);
      }
    }
    for (int g : k.vfioGroups()) {
      assertThat(t.groups()).contains(g);
    }
  }
}
