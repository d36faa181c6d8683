package dev.pcikit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.plan.render.QemuRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QEMU accepts the planned topologies: the generated controllers plus emulated stand-ins of the
 * same kind in place of vfio-pci (PCIe: e1000e / nvme, conventional: e1000), started paused with
 * QMP; query-pci and the qdev tree must show every device on its planned PHB / root port and
 * address. One QEMU start per machine type.
 */
class QemuTopologyTest {

  static final List<String> PSERIES =
      List.of(
          "-M",
          "pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off,x-vof=on",
          "-cpu",
          "POWER9",
          "-m",
          "1G",
          "-smp",
          "2",
          "-object",
          "memory-backend-ram,id=m0,size=512M",
          "-object",
          "memory-backend-ram,id=m1,size=512M",
          "-numa",
          "node,nodeid=0,cpus=0,memdev=m0",
          "-numa",
          "node,nodeid=1,cpus=1,memdev=m1");

  @Test
  void pseriesPhbsAndDevicesAreWherePlanned(@TempDir Path dir) throws Exception {
    Path qemu = Tools.require("qemu-system-ppc64");
    Plan p = GoldenPlanTest.pseries();
    List<String> emulated =
        List.of("e1000,id=emu0,bus=pci.0,addr=0x1", "e1000e,id=emu1,bus=pci.0,addr=0x2");
    Observed o = start(qemu, PSERIES, p, emulated, dir);
    for (PlannedController c : p.controllers()) {
      QDev phb = o.qtree.get(c.qemuId());
      assertThat(phb).as("PHB " + c.qemuId()).isNotNull();
      assertThat(phb.type).isEqualTo("spapr-pci-host-bridge");
      assertThat(phb.props.get("index")).startsWith(c.phbIndex() + " ");
      assertThat(phb.props.get("numa_node"))
          .startsWith(c.numaNode() < 0 ? "4294967295" : c.numaNode() + " ");
      assertThat(phb.props.get("pcie-extended-configuration-space"))
          .isEqualTo(Boolean.toString(c.extendedConfig()));
    }
    checkDevices(p, o);
    // the emulated devices stay on PHB 0
    assertThat(o.qtree.get("emu0").bus).isEqualTo("pci.0");
    assertThat(o.qtree.get("emu1").bus).isEqualTo("pci.0");
  }

  @Test
  void pseriesPhbWithExtendedConfigOffIsAccepted(@TempDir Path dir) throws Exception {
    Path qemu = Tools.require("qemu-system-ppc64");
    Policies ecsOff = new Policies(false, true, false, true, false, true);
    Plan p =
        Planner.plan(
            TestHosts.spec(
                MachineType.PSERIES, ecsOff, java.util.OptionalInt.of(1), "0002:01:00.0"),
            TestHosts.power(),
            java.util.Optional.empty());
    // and the hotplug plan's QMP commands put a device into the spare PHB of the running guest
    ExistingDomain dom =
        DomainXmlReader.parse(dev.pcikit.core.plan.render.LibvirtRenderer.domain(p));
    Plan hot =
        Planner.hotplug(dom, List.of(DeviceRequest.of("0003:01:00.0")), TestHosts.power(), ecsOff);
    Observed o =
        start(
            qemu,
            PSERIES.subList(0, 8),
            p,
            List.of(),
            dir,
            qmp -> {
              for (String cmd : QemuRenderer.qmpDeviceAdd(hot)) {
                // the conventional host device's stand-in: e1000 instead of vfio-pci
                qmp.command(
                    cmd.replace("\"driver\":\"vfio-pci\"", "\"driver\":\"e1000\"")
                        .replaceAll("\"host\":\"[^\"]*\",", ""));
              }
            });
    assertThat(p.controllers()).hasSize(2);
    for (PlannedController c : p.controllers()) {
      assertThat(o.qtree.get(c.qemuId()).props.get("pcie-extended-configuration-space"))
          .isEqualTo("false");
    }
    checkDevices(p, o);
    assertThat(hot.devices()).hasSize(1);
    assertThat(hot.devices().get(0).controller().qemuId()).isEqualTo("pci.2");
    checkDevices(hot, o);
  }

  @Test
  void q35RootPortsBridgeAndDevicesAreWherePlanned(@TempDir Path dir) throws Exception {
    Path qemu = Tools.require("qemu-system-x86_64");
    Plan p = GoldenPlanTest.q35();
    Observed o = start(qemu, List.of("-M", "q35", "-m", "256M"), p, List.of(), dir);
    for (PlannedController c : p.controllers()) {
      QDev d = o.qtree.get(c.qemuId());
      assertThat(d).as(c.qemuId()).isNotNull();
      assertThat(d.type).isEqualTo(c.kind().qemuDevice());
      GuestAddress a = c.address().orElseThrow();
      assertThat(d.bus).isEqualTo(a.bus() == 0 ? "pcie.0" : "pci." + a.bus());
      assertThat(d.props.get("addr")).isEqualTo(String.format("%02x.%x", a.slot(), a.function()));
      if (a.bus() != 0) {
        continue; // behind a root port: not in query-pci before firmware numbers the buses
      }
      Map<String, Object> pci = o.queryPci.get(c.qemuId());
      assertThat(pci).as(c.qemuId() + " in query-pci").isNotNull();
      assertThat(((Number) pci.get("slot")).intValue()).isEqualTo(a.slot());
      assertThat(((Number) pci.get("function")).intValue()).isEqualTo(a.function());
    }
    checkDevices(p, o);
  }

  private static void checkDevices(Plan p, Observed o) {
    assertThat(p.devices()).isNotEmpty();
    for (PlannedDevice d : p.devices()) {
      QDev q = o.qtree.get(d.alias());
      assertThat(q).as(d.alias() + " in qtree").isNotNull();
      assertThat(q.bus).as(d.alias() + " bus").isEqualTo(d.controller().childBus());
      assertThat(q.props.get("addr"))
          .isEqualTo(String.format("%02x.%x", d.address().slot(), d.address().function()));
      Map<String, Object> pci = o.queryPci.get(d.alias());
      if (d.controller().kind() != ControllerKind.SPAPR_PHB) {
        // paused before firmware: bridges have secondary bus 0, so query-pci lists only the
        // root bus (QEMU's qmp_query_pci_bridge); the qdev tree above covers what sits below
        continue;
      }
      assertThat(pci).as(d.alias() + " in query-pci").isNotNull();
      assertThat(((Number) pci.get("slot")).intValue()).isEqualTo(d.address().slot());
      assertThat(((Number) pci.get("function")).intValue()).isEqualTo(d.address().function());
    }
  }

  /** Replaces each vfio-pci of the plan with an emulated device of the same kind. */
  static List<String> standIns(Plan p) {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (String dev : QemuRenderer.devices(p)) {
      if (!dev.startsWith("vfio-pci,")) {
        out.add(dev);
        continue;
      }
      PlannedDevice d = p.devices().get(i++);
      Map<String, String> props = new LinkedHashMap<>(QemuRenderer.vfio(d));
      props.remove("host");
      String model = !d.host().pcie() ? "e1000" : (i % 2 == 0 ? "nvme" : "e1000e");
      StringBuilder b = new StringBuilder(model);
      props.forEach((k, v) -> b.append(k.equals("driver") ? "" : "," + k + "=" + v));
      if (model.equals("nvme")) {
        b.append(",serial=s").append(i);
      }
      out.add(b.toString());
    }
    return out;
  }

  record QDev(String type, String bus, Map<String, String> props) {}

  record Observed(Map<String, QDev> qtree, Map<String, Map<String, Object>> queryPci) {}

  interface QmpStep {
    void run(Qmp qmp) throws IOException;
  }

  static Observed start(Path qemu, List<String> machine, Plan p, List<String> extra, Path dir)
      throws IOException, InterruptedException {
    return start(qemu, machine, p, extra, dir, q -> {});
  }

  static Observed start(
      Path qemu, List<String> machine, Plan p, List<String> extra, Path dir, QmpStep before)
      throws IOException, InterruptedException {
    Path sock = dir.resolve("qmp.sock");
    List<String> cmd = new ArrayList<>();
    cmd.add(qemu.toString());
    cmd.addAll(machine);
    cmd.addAll(
        List.of(
            "-nodefaults",
            "-display",
            "none",
            "-S",
            "-qmp",
            "unix:" + sock + ",server=on,wait=off"));
    for (String d : extra) {
      cmd.add("-device");
      cmd.add(d);
    }
    for (String d : standIns(p)) {
      cmd.add("-device");
      cmd.add(d);
    }
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (Qmp qmp = Qmp.connect(sock, proc)) {
      before.run(qmp);
      Object pci = qmp.command("{\"execute\":\"query-pci\"}");
      String tree =
          (String)
              qmp.command(
                  "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info qtree\"}}");
      Map<String, Map<String, Object>> byId = new HashMap<>();
      for (Object bus : (List<?>) pci) {
        collect((Map<?, ?>) bus, byId);
      }
      return new Observed(parseQtree(tree), byId);
    } finally {
      if (!proc.waitFor(10, TimeUnit.SECONDS)) {
        proc.destroyForcibly();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void collect(Map<?, ?> bus, Map<String, Map<String, Object>> byId) {
    for (Object o : (List<?>) bus.get("devices")) {
      Map<String, Object> dev = (Map<String, Object>) o;
      Object id = dev.get("qdev_id");
      if (id instanceof String s && !s.isEmpty()) {
        byId.put(s, dev);
      }
      Object bridge = dev.get("pci_bridge");
      if (bridge instanceof Map<?, ?> br && br.get("devices") != null) {
        collect(br, byId);
      }
    }
  }

  /** Parses HMP "info qtree": every device with an id, its parent bus name and properties. */
  static Map<String, QDev> parseQtree(String tree) {
    Map<String, QDev> out = new HashMap<>();
    Deque<Object[]> buses = new ArrayDeque<>();
    QDev current = null;
    int devIndent = -1;
    for (String raw : tree.split("\r?\n")) {
      int indent = raw.length() - raw.stripLeading().length();
      String line = raw.strip();
      if (line.startsWith("bus: ")) {
        while (!buses.isEmpty() && (int) buses.peek()[0] >= indent) {
          buses.pop();
        }
        buses.push(new Object[] {indent, line.substring(5)});
        current = null;
      } else if (line.startsWith("dev: ")) {
        while (!buses.isEmpty() && (int) buses.peek()[0] >= indent) {
          buses.pop();
        }
        String rest = line.substring(5);
        int comma = rest.indexOf(',');
        String type = comma < 0 ? rest : rest.substring(0, comma);
        int q = rest.indexOf("id \"");
        current = null;
        if (q >= 0) {
          String id = rest.substring(q + 4, rest.indexOf('"', q + 4));
          current =
              new QDev(type, buses.isEmpty() ? "" : (String) buses.peek()[1], new HashMap<>());
          out.put(id, current);
          devIndent = indent;
        }
      } else if (current != null && indent == devIndent + 2 && line.contains(" = ")) {
        int eq = line.indexOf(" = ");
        current.props.put(line.substring(0, eq), line.substring(eq + 3).replace("\"", ""));
      }
    }
    return out;
  }
}
