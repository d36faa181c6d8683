package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.config.PciePortType;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** End to end: `pcikit check` and `pcikit draw host` on a simulated host under --root. */
class CheckAndDrawCommandTest {
  @TempDir Path root;

  private Run run(String... args) {
    return CliRun.runIn(root, args);
  }

  private void host(boolean iommu) throws Exception {
    HostBuilder h = new HostBuilder("x86_64");
    if (!iommu) {
      h.iommu("");
    }
    h.device(
        "0000:00:00.0",
        ConfigSpaceBuilder.endpoint(0x8086, 0x29c0).classCode(0x060000).conventional());
    h.device(
            "0000:00:01.0",
            ConfigSpaceBuilder.bridge(0x8086, 0x7ab8)
                .buses(0, 1, 1)
                .express(PciePortType.ROOT_PORT)
                .acs(0x5f, 0x1d))
        .driver("pcieport");
    h.device(
            "0000:01:00.0",
            ConfigSpaceBuilder.endpoint(0x8086, 0x10d3)
                .classCode(0x020000)
                .express(PciePortType.ENDPOINT)
                .flr(true))
        .driver("e1000e")
        .numa(0)
        .resetMethod("flr bus");
    if (!iommu) {
      for (String d : new String[] {"0000:00:00.0", "0000:00:01.0", "0000:01:00.0"}) {
        h.device(d).noGroup();
      }
    }
    h.build().materialize(root.resolve("sys"));
    Files.createDirectories(root.resolve("proc/sys/kernel"));
    Files.writeString(root.resolve("proc/cmdline"), "ro quiet intel_iommu=on\n");
    Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-test\n");
    Files.writeString(root.resolve("proc/sys/kernel/arch"), "x86_64\n");
    Path mods = Files.createDirectories(root.resolve("lib/modules/6.1.0-test"));
    Files.writeString(
        mods.resolve("modules.dep"),
        "kernel/drivers/vfio/vfio.ko:\nkernel/drivers/vfio/vfio_iommu_type1.ko:\n"
            + "kernel/drivers/vfio/pci/vfio-pci.ko:\n");
    Files.writeString(mods.resolve("modules.builtin"), "");
  }

  @Test
  void checkAsJsonOnAReadyHost() throws Exception {
    host(true);
    Run r = run("check", "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = dev.pcikit.formats.Documents.json().readTree(r.out());
    assertThat(doc.get("schema").asText()).isEqualTo("pcikit/check/v1");
    assertThat(doc.get("hostReady").asBoolean()).isTrue();
    java.util.List<String> codes = new java.util.ArrayList<>();
    doc.get("host").forEach(n -> codes.add(n.get("code").asText()));
    assertThat(codes)
        .contains("iommu-enabled", "kernel-cmdline", "interrupt-remapping", "vfio-module");
    JsonNode nic = doc.get("devices").get(0);
    assertThat(nic.get("bdf").asText()).isEqualTo("0000:01:00.0");
    assertThat(nic.get("assignable").asBoolean()).isTrue();
    assertThat(doc.get("devices")).hasSize(1); // bridges and the host bridge are not candidates
  }

  @Test
  void namingABridgeExitsWithTheBlockingCode() throws Exception {
    host(true);
    Run r = run("check", "00:01.0");
    assertThat(r.code()).isEqualTo(10);
    assertThat(r.out()).contains("NOT assignable").contains("is a PCI bridge");
    assertThat(run("check", "01:00.0").code()).isZero();
    assertThat(run("check", "07:00.0").code()).isEqualTo(3);
  }

  @Test
  void aNicCarryingTheDefaultRouteIsNotAssignable() throws Exception {
    host(true);
    // The NIC's interface, as the kernel puts it below the PCI function.
    Path fn = root.resolve("sys/bus/pci/devices/0000:01:00.0").toRealPath();
    Files.createDirectories(fn.resolve("net/eth0"));
    Files.createDirectories(root.resolve("proc/net"));
    Files.writeString(root.resolve("proc/mounts"), "proc /proc proc rw 0 0\n");
    Files.writeString(
        root.resolve("proc/net/route"),
        "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n"
            + "eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");
    Run r = run("check", "01:00.0");
    assertThat(r.code()).isEqualTo(10);
    assertThat(r.out()).contains("eth0 carrying the default route").contains("NOT assignable");
    assertThat(r.out()).doesNotContain("were not inspected");
  }

  @Test
  void hostWithoutIommuIsBlocking() throws Exception {
    host(false);
    Run r = run("check");
    assertThat(r.code()).isEqualTo(10);
    assertThat(r.out()).contains("no IOMMU groups").contains("fix:");
  }

  @Test
  void drawHostWritesSvgAndDot() throws Exception {
    host(true);
    Path svg = root.resolve("host.svg");
    Run r = run("draw", "host", "--out", svg.toString(), "--title", "t & <t>");
    assertThat(r.code()).as(r.err()).isZero();
    String text = Files.readString(svg);
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XMLStreamReader x = f.createXMLStreamReader(new StringReader(text));
    while (x.hasNext()) {
      x.next();
    }
    assertThat(text).contains("t &amp; &lt;t&gt;").contains("0000:01:00.0");
    Run dot = run("draw", "host", "--format", "dot");
    assertThat(dot.out())
        .startsWith("digraph pcikit {")
        .contains("\"0000:00:01.0\" -> \"0000:01:00.0\"");
    Path gv = root.resolve("host.gv");
    assertThat(run("draw", "host", "--out", gv.toString()).code()).isZero();
    assertThat(Files.readString(gv)).startsWith("digraph");
    assertThat(run("draw").code()).isEqualTo(2);
    assertThat(run("draw", "host", "-o", "dot").out()).startsWith("digraph pcikit {");
  }

  @Test
  void dashOIsAFormatEverywhereAndAFileNameSaysToUseOut() throws Exception {
    host(true);
    Path svg = root.resolve("host.svg");
    Run draw = run("draw", "host", "-o", svg.toString());
    assertThat(draw.code()).isEqualTo(2);
    assertThat(draw.err())
        .startsWith(
            "pcikit: '"
                + svg
                + "' is not an output format (svg, dot); -o names the format: to write a file,"
                + " use --out "
                + svg
                + "\n");
    assertThat(svg).doesNotExist();
    Run list = run("list", "-o", "devices.json");
    assertThat(list.code()).isEqualTo(2);
    assertThat(list.err())
        .startsWith(
            "pcikit: 'devices.json' is not an output format (table, json, yaml); -o names the"
                + " format: to write a file, use --out devices.json\n");
    Run typo = run("check", "-o", "jsno");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err())
        .startsWith("pcikit: 'jsno' is not an output format (table, json, yaml)\n");
    Run snapshot = run("snapshot", "-o", "host.snapshot");
    assertThat(snapshot.code()).isEqualTo(2);
    assertThat(snapshot.err())
        .startsWith(
            "pcikit: -o names an output format, and a snapshot has one: to write a file, use"
                + " --out host.snapshot\n");
  }

  @Test
  void drawPlanLinksGuestDevicesToHostFunctions() throws Exception {
    dev.pcikit.core.sysfs.MemorySysfs s = new dev.pcikit.core.sysfs.MemorySysfs();
    PlanCommandTest.device(s, "0001:01:00.0", "144d:a808", "0x010802", 1, 0, true, false);
    PlanCommandTest.device(s, "0002:01:00.0", "15b3:1017", "0x020000", 2, 8, true, true);
    PlanCommandTest.device(s, "0002:01:00.1", "15b3:1017", "0x020000", 2, 8, true, true);
    s.materialize(root.resolve("sys"));
    Path spec = root.resolve("g.yaml");
    Files.writeString(
        spec,
        "name: db1\nmachine: pseries\ndevices:\n  - 0001:01:00.0\n  - {select: 15b3:1017, phb: 7}\n");
    Path svg = root.resolve("plan.svg");
    Run r = run("draw", "plan", spec.toString(), "--out", svg.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String text = Files.readString(svg);
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XMLStreamReader x = f.createXMLStreamReader(new StringReader(text));
    int links = 0;
    while (x.hasNext()) {
      if (x.next() == XMLStreamReader.START_ELEMENT
          && "link".equals(x.getAttributeValue(null, "class"))) {
        links++;
      }
    }
    assertThat(links).isEqualTo(3);
    assertThat(text)
        .contains("Plan db1 (pseries)")
        .contains("PHB 7 (pci.7, domain 0007) · guest NUMA 1")
        .contains("EEH: isolated (group 2)")
        .contains("spare for hotplug")
        .contains("0002:01:00.1")
        .contains("ECS reachable");
    Run dot = run("draw", "plan", spec.toString(), "--format", "dot");
    assertThat(dot.out()).contains("-> \"host:0001:01:00.0\"");
  }
}
