package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.sysfs.DirectorySysfs;
import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of the one selector grammar against the real lspci ({@code lspci -D -n -s SEL}
 * / {@code -d SEL}) on materialized demo hosts: the same selectors are accepted, the same devices
 * matched, and what lspci rejects (negative numbers, other scripts' digits, out of range, too many
 * fields, too long) pcikit rejects too.
 */
class SelectorVsLspciTest {
  @TempDir Path dir;

  static final List<String> SLOTS =
      List.of(
          "",
          "*",
          "::",
          ":",
          ".",
          "*:*.*",
          "*:*:*.*",
          "0:",
          "1:",
          "00:00",
          "0000:00:00.0",
          "0001:00:00.0",
          "00:00.0",
          "01:00",
          "00:01.0",
          "0:0",
          ".1",
          "*.1",
          "2:",
          "0001::",
          "0002:01:00.0",
          "000000001:01:00.0",
          "7fffffff::",
          "80000000::",
          "0:-1:0.0",
          "-1",
          "+1:00.0",
          "0x1:00.0",
          " 01:00.0",
          "01:00.0 ",
          "０１:00.0",
          "١:00.0",
          "01:20.0",
          "01:00.8",
          "100:00.0",
          "1:2:3:4",
          "01:00.0.1",
          "zz:00.0",
          "1.",
          "1..",
          "1:2:3.",
          "0".repeat(63),
          "0".repeat(64),
          "01:1f.7",
          "01:00.x");

  static final List<String> IDS =
      List.of(
          ":",
          "::",
          ":::",
          "::::",
          "1af4:",
          ":1000",
          "1af4:1000",
          "8086:",
          "1014:",
          "15b3:1018",
          "::0200",
          "::02",
          "::2",
          "::02xx",
          "::xxxx",
          "::xxxxx",
          "::0604:00",
          "::0108:02",
          "*:*",
          "-1:-1",
          "8086",
          "",
          "10000:0",
          "８086:0",
          "1af4:1000:0200:00:0",
          "1af4:-0",
          "1af4:0x10",
          "1AF4:1000",
          ":::00");

  @Test
  void selectorsAgreeWithLspciOnEveryDemoHost() throws Exception {
    Lspci.requireInstalled();
    int compared = 0;
    for (String demo : List.of("x86-workstation", "power9", "s390x")) {
      Path tree = dir.resolve(demo);
      TreeMaterializer.materialize(DemoHosts.load(demo), tree);
      Inventory inv = new InventoryReader(new DirectorySysfs(tree)).read();
      for (String s : SLOTS) {
        compare(tree, inv, "-s", s, demo);
        compared++;
      }
      for (String s : IDS) {
        compare(tree, inv, "-d", s, demo);
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(200);
  }

  private static void compare(Path tree, Inventory inv, String opt, String sel, String demo)
      throws Exception {
    Lspci.Result r = Lspci.run(tree, "-D", "-n", opt, sel);
    Set<String> expected = new TreeSet<>();
    if (r.exit() == 0) {
      for (String line : r.out().split("\n")) {
        if (!line.isBlank()) {
          expected.add(line.substring(0, line.indexOf(' ')));
        }
      }
    }
    Set<String> actual = new TreeSet<>();
    boolean accepted;
    try {
      DeviceSelector s = opt.equals("-s") ? DeviceSelector.slot(sel) : DeviceSelector.ids(sel);
      accepted = true;
      for (PciDevice d : inv.devices()) {
        if (s.matches(d.address(), d.vendor(), d.device(), d.classCode())) {
          actual.add(d.address().toString());
        }
      }
    } catch (PcikitException e) {
      accepted = false;
    }
    String what = demo + ": " + opt + " '" + sel + "' (lspci: " + r.err().strip() + ")";
    assertThat(accepted).as(what + " accepted").isEqualTo(r.exit() == 0);
    assertThat(new ArrayList<>(actual)).as(what).containsExactlyElementsOf(expected);
  }
}
