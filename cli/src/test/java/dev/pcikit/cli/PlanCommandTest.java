package dev.pcikit.cli;

import static dev.pcikit.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.sysfs.MemorySysfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pcikit plan end to end: a sysfs tree under --root, a spec file, every output and error. */
class PlanCommandTest {
  @TempDir Path dir;
  Path root;

  static byte[] config(boolean pcie, boolean multifunction) {
    byte[] c = new byte[pcie ? 4096 : 256];
    c[0x0e] = (byte) (multifunction ? 0x80 : 0);
    if (pcie) {
      c[0x06] = 0x10; // capability list
      c[0x34] = 0x40;
      c[0x40] = 0x10; // PCI Express
    }
    return c;
  }

  static void device(
      MemorySysfs s,
      String bdf,
      String ids,
      String cls,
      int group,
      int numa,
      boolean pcie,
      boolean mf) {
    String d = "bus/pci/devices/" + bdf;
    s.mkdirs(d);
    s.putText(d + "/vendor", "0x" + ids.substring(0, 4) + "\n");
    s.putText(d + "/device", "0x" + ids.substring(5) + "\n");
    s.putText(d + "/class", cls + "\n");
    s.putText(d + "/numa_node", numa + "\n");
    s.putFile(d + "/config", config(pcie, mf));
    s.mkdirs("kernel/iommu_groups/" + group + "/devices");
    s.putLink(d + "/iommu_group", "../../../../kernel/iommu_groups/" + group);
  }

  @BeforeEach
  void host() throws IOException {
    MemorySysfs s = new MemorySysfs();
    device(s, "0001:01:00.0", "144d:a808", "0x010802", 1, 0, true, false);
    device(s, "0002:01:00.0", "15b3:1017", "0x020000", 2, 8, true, true);
    device(s, "0002:01:00.1", "15b3:1017", "0x020000", 2, 8, true, true);
    device(s, "0003:01:00.0", "8086:100e", "0x020000", 3, 0, false, false);
    root = dir.resolve("root");
    s.materialize(root.resolve("sys"));
  }

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void plansPseriesFromSysfsInEveryFormat() throws IOException {
    Path spec =
        write(
            "g.yaml",
            "name: db1\nmachine: pseries\nemulatedDevices: 1\ndevices:\n  - 0001:01:00.0\n"
                + "  - {select: 15b3:1017, phb: 7}\n  - 0003:01:00.0\n");
    Run s = run("plan", "--root", root.toString(), spec.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out())
        .contains("PHB 7", "EEH: isolated", "numa_node 1", "spare, empty for hotplug");
    Run q = run("plan", "--root", root.toString(), spec.toString(), "-o", "qemu");
    assertThat(q.out())
        .contains("-device spapr-pci-host-bridge,index=1,id=pci.1,numa_node=0")
        .contains("-device spapr-pci-host-bridge,index=7,id=pci.7,numa_node=1")
        .contains(
            "-device vfio-pci,host=0002:01:00.0,id=hostdev2,bus=pci.7.0,addr=0x1,multifunction=on")
        .contains("host=0002:01:00.1,id=hostdev3,bus=pci.7.0,addr=0x1.0x1");
    Run x = run("plan", "--root", root.toString(), spec.toString(), "-o", "libvirt");
    assertThat(x.out())
        .startsWith("<domain type='kvm'>")
        .contains("<name>db1</name>", "managed='no'");
    Run j = run("plan", "--root", root.toString(), spec.toString(), "-o", "json");
    var doc = dev.pcikit.formats.Documents.json().readTree(j.out());
    assertThat(doc.get("schema").asString()).isEqualTo("pcikit/plan/v1");
    assertThat(doc.get("devices").get(0).get("extendedConfig").get("ibmPciConfigSpaceType").asInt())
        .isEqualTo(1);
    assertThat(doc.get("eeh").get(0).get("isolated").asBoolean()).isTrue();
    Run y = run("plan", "--root", root.toString(), spec.toString(), "-o", "yaml");
    assertThat(tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(y.out()))
        .isEqualTo(doc);
    Run f = run("plan", "--root", root.toString(), spec.toString(), "-o", "fragments");
    assertThat(f.out()).startsWith("    <controller").doesNotContain("<domain");
  }

  @Test
  void replanWithDomainKeepsItAndHotplugUsesASpare() throws IOException {
    Path spec = write("g.yaml", "machine: pseries\nspares: 1\ndevices: [\"0001:01:00.0\"]\n");
    Run x = run("plan", "--root", root.toString(), spec.toString(), "-o", "libvirt");
    Path dom = write("dom.xml", x.out());
    Run again =
        run(
            "plan",
            "--root",
            root.toString(),
            spec.toString(),
            "--domain",
            dom.toString(),
            "-o",
            "libvirt");
    assertThat(again.out()).isEqualTo(x.out());
    Run hp =
        run(
            "plan",
            "hotplug",
            "--root",
            root.toString(),
            "--domain",
            dom.toString(),
            "0003:01:00.0");
    assertThat(hp.code()).as(hp.err()).isZero();
    assertThat(hp.out())
        .contains("spare PHB 2", "\"bus\":\"pci.2.0\"", "<hostdev mode='subsystem'");
    Path dom2 =
        write(
            "dom2.xml",
            x.out()
                .replace(
                    "  </devices>",
                    run(
                                "plan",
                                "hotplug",
                                "--root",
                                root.toString(),
                                "--domain",
                                dom.toString(),
                                "0003:01:00.0",
                                "-o",
                                "libvirt")
                            .out()
                            .replaceAll("(?m)^", "    ")
                        + "  </devices>"));
    Run none =
        run(
            "plan",
            "hotplug",
            "--root",
            root.toString(),
            "--domain",
            dom2.toString(),
            "0002:01:00.0");
    assertThat(none.code()).isEqualTo(5);
    assertThat(none.err()).contains("no empty spare PHB is left");
  }

  @Test
  void errorsAreOneLineWithTheirExitCode() throws IOException {
    Path unknownKey = write("a.yaml", "machine: q35\ndevice: [\"0001:01:00.0\"]\n");
    Run a = run("plan", "--root", root.toString(), unknownKey.toString());
    assertThat(a.code()).isEqualTo(4);
    assertThat(a.err()).startsWith("pcikit: ").contains("unknown key 'device'");
    assertThat(a.err().lines().count()).isEqualTo(1);

    Path unknownDev = write("b.yaml", "machine: q35\ndevices: [\"0009:00:00.0\"]\n");
    Run b = run("plan", "--root", root.toString(), unknownDev.toString());
    assertThat(b.code()).isEqualTo(3);
    assertThat(b.err()).contains("no PCI function 0009:00:00.0");

    Path contradictory =
        write(
            "c.yaml",
            "machine: pseries\ndevices:\n  - {select: 0002:01:00.0, phb: 3}\n  - {select: 0002:01:00.1, phb: 4}\n");
    Run c = run("plan", "--root", root.toString(), contradictory.toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("every function of a group goes on one PHB");

    Path ok = write("d.yaml", "machine: pseries\ndevices: [\"0001:01:00.0\"]\n");
    Path xxe =
        write(
            "x.xml",
            "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain><name>&e;</name></domain>");
    Run d = run("plan", "--root", root.toString(), ok.toString(), "--domain", xxe.toString());
    assertThat(d.code()).isEqualTo(4);
    assertThat(d.err()).contains("DOCTYPE").doesNotContain("root:");

    Run missing = run("plan", "--root", root.toString(), dir.resolve("nope.yaml").toString());
    assertThat(missing.code()).isEqualTo(3);
    Run noSpec = run("plan", "--root", root.toString());
    assertThat(noSpec.code()).isEqualTo(2);
  }
}
