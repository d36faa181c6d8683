package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13 on a real kernel: a persisted binding follows the device, not the bus number. Two boots
 * of the x86 guest:
 *
 * <ol>
 *   <li>{@code topology/x86-renumber-before.args}: two identical e1000e (nicA 01:00.0, nicB
 *       02:00.0; QEMU derives each one's Device Serial Number from its MAC); {@code vfio bind
 *       --persist} of nicB. The test takes the persisted bindings file from the console.
 *   <li>{@code topology/x86-renumber-after.args}, the file carried in an extra initramfs segment
 *       ({@code LAB_OVERLAY}): nicC inserted ahead, so nicA is now at 02:00.0 (nicB's recorded
 *       address) and nicB at 03:00.0. {@code apply-persisted --on-move refuse} must bind nothing
 *       (exit 11); {@code apply-persisted} must bind nicB at 03:00.0 and leave nicA and nicC on
 *       e1000e. Then a process holds nicB's group and libvirt XML names it: {@code vfio status -o
 *       json} must name the pid, command line and domain.
 * </ol>
 *
 * Which card is which is told by the MAC of its network interface in sysfs, independently of
 * pcikit; which card pcikit bound is told by the interface disappearing (vfio-pci has none).
 */
class X86RenumberLabTest {
  private static final String MAC_A = "52:54:00:00:00:a1";
  private static final String MAC_B = "52:54:00:00:00:b2";
  private static final String MAC_C = "52:54:00:00:00:c3";
  private static final Pattern DSN =
      Pattern.compile("^(\\S+) .*\\n\\s+Capabilities: \\[\\w+ v1\\] Device Serial Number (\\S+)");

  private static LabBoot.Result first;
  private static LabBoot.Result second;

  @BeforeAll
  static void bootTwice() throws IOException, InterruptedException {
    X86Guest.requireLab();
    Path topo = LabEnvironment.labDir().resolve("topology");
    first =
        LabBoot.run(
            "x86-lab.sh",
            "x86-renumber-1",
            600,
            Map.of("LAB_TOPOLOGY", topo.resolve("x86-renumber-before.args").toString()),
            "renumber-persist");
    LabScenario persist = passed(first, "renumber-persist");
    Path overlay = LabEnvironment.labDir().resolve("target/lab/renumber-overlay");
    deleteTree(overlay);
    Path conf = overlay.resolve("etc/pcikit/vfio-bindings.conf");
    Files.createDirectories(conf.getParent());
    // the overlay's directories become the guest's /, /etc and /etc/pcikit: keep their modes
    for (Path d = conf.getParent(); d.startsWith(overlay); d = d.getParent()) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(conf, block(first, persist, "bindings").text());
    second =
        LabBoot.run(
            "x86-lab.sh",
            "x86-renumber-2",
            600,
            Map.of(
                "LAB_TOPOLOGY",
                topo.resolve("x86-renumber-after.args").toString(),
                "LAB_OVERLAY",
                overlay.toString()),
            "renumber-apply");
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  private static LabScenario passed(LabBoot.Result boot, String name) {
    return X86Guest.passed(boot, name);
  }

  private static LabScenario.Block block(LabBoot.Result boot, LabScenario s, String name) {
    return X86Guest.block(boot, s, name);
  }

  /** {@code lab_nic_macs}: bdf -> "mac driver" for the e1000e functions. */
  private static Map<String, String> nics(LabScenario.Block b) {
    Map<String, String> out = new TreeMap<>();
    for (String l : b.lines()) {
      String[] f = l.trim().split("\\s+");
      if (f.length == 3 && (f[2].equals("e1000e") || f[2].equals("vfio-pci"))) {
        out.put(f[0], f[1] + " " + f[2]);
      }
    }
    return out;
  }

  /** The one persisted line of a bindings file (comments skipped). */
  private static String persistedLine(LabScenario.Block b) {
    List<String> lines = new ArrayList<>();
    for (String l : b.lines()) {
      if (!l.isBlank() && !l.startsWith("#")) {
        lines.add(l);
      }
    }
    assertThat(lines).as(b.text()).hasSize(1);
    return lines.get(0);
  }

  /** bdf -> DSN as the guest's lspci -vvv prints it. */
  private static Map<String, String> lspciDsns(LabScenario.Block b) {
    Map<String, String> out = new TreeMap<>();
    Matcher m = DSN.matcher("");
    List<String> lines = b.lines();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (m.reset(lines.get(i) + "\n" + lines.get(i + 1)).find()) {
        out.put(m.group(1), m.group(2));
      }
    }
    return out;
  }

  @Test
  void firstBootPersistsNicBWithItsSerialNumber() {
    LabScenario s = passed(first, "renumber-persist");
    String ctx = LabBoot.context(first.console(), s.name(), first.runLog());
    assertThat(nics(block(first, s, "macs")))
        .as(ctx)
        .containsExactly(
            Map.entry("0000:01:00.0", MAC_A + " e1000e"),
            Map.entry("0000:02:00.0", MAC_B + " e1000e"));
    Map<String, String> dsn = lspciDsns(block(first, s, "dsn"));
    // identical cards but for the serial number: a binding can only tell them apart by it
    assertThat(dsn).as(ctx).containsOnlyKeys("0000:01:00.0", "0000:02:00.0");
    assertThat(dsn.get("0000:01:00.0")).as(ctx).isNotEqualTo(dsn.get("0000:02:00.0"));
    assertThat(block(first, s, "bind").rc()).as(ctx).isZero();
    assertThat(nics(block(first, s, "state")))
        .as(ctx)
        .containsEntry("0000:01:00.0", MAC_A + " e1000e")
        .containsEntry("0000:02:00.0", "- vfio-pci");
    String line = persistedLine(block(first, s, "bindings"));
    assertThat(line)
        .as(ctx)
        .startsWith("0000:02:00.0 8086:10d3 vfio-pci ")
        .contains("strength=serial")
        .contains("dsn=" + dsn.get("0000:02:00.0"))
        .contains("path=pci0000:00/04.0/00.0");
  }

  @Test
  void theInsertedCardShiftsNicBOntoTheAddressOfNicA() {
    LabScenario s = passed(second, "renumber-apply");
    String ctx = LabBoot.context(second.console(), s.name(), second.runLog());
    // the premise of the test: the recorded address now holds the other card of the same model
    assertThat(nics(block(second, s, "macs")))
        .as(ctx)
        .containsExactly(
            Map.entry("0000:01:00.0", MAC_C + " e1000e"),
            Map.entry("0000:02:00.0", MAC_A + " e1000e"),
            Map.entry("0000:03:00.0", MAC_B + " e1000e"));
    assertThat(persistedLine(block(second, s, "bindings-before"))).startsWith("0000:02:00.0 ");
  }

  @Test
  void onMoveRefuseBindsNothingAndExits11() {
    LabScenario s = passed(second, "renumber-apply");
    String ctx = LabBoot.context(second.console(), s.name(), second.runLog());
    LabScenario.Block refuse = block(second, s, "refuse");
    assertThat(refuse.rc()).as(ctx).isEqualTo(11);
    assertThat(refuse.text())
        .as(ctx)
        .contains("0000:02:00.0: the device")
        .contains("is now at 0000:03:00.0")
        .contains("not bound (the move policy is refuse)");
    assertThat(nics(block(second, s, "state-refused")))
        .as(ctx)
        .isEqualTo(nics(block(second, s, "macs")));
    assertThat(block(second, s, "bindings-refused").text())
        .as(ctx)
        .isEqualTo(block(second, s, "bindings-before").text());
  }

  @Test
  void applyPersistedBindsNicBAtItsNewAddressAndLeavesNicAAlone() {
    LabScenario s = passed(second, "renumber-apply");
    String ctx = LabBoot.context(second.console(), s.name(), second.runLog());
    LabScenario.Block apply = block(second, s, "apply");
    assertThat(apply.rc()).as(ctx).isZero();
    assertThat(apply.text()).as(ctx).contains("bound at 0000:03:00.0");
    assertThat(nics(block(second, s, "state-applied")))
        .as(ctx)
        .containsExactly(
            Map.entry("0000:01:00.0", MAC_C + " e1000e"),
            Map.entry("0000:02:00.0", MAC_A + " e1000e"),
            Map.entry("0000:03:00.0", "- vfio-pci"));
    String before = persistedLine(block(second, s, "bindings-before"));
    String after = persistedLine(block(second, s, "bindings-applied"));
    // rewritten at the new address, the fingerprint kept
    assertThat(after).as(ctx).isEqualTo("0000:03:00.0" + before.substring("0000:02:00.0".length()));
  }

  @Test
  void vfioStatusNamesTheProcessAndTheLibvirtDomainHoldingTheGroup() {
    LabScenario s = passed(second, "renumber-apply");
    String ctx = LabBoot.context(second.console(), s.name(), second.runLog());
    assertThat(block(second, s, "holder").text()).as(ctx).contains("holding group=");
    int pid = Integer.parseInt(s.value("holder_pid").orElseThrow());
    LabScenario.Block status = block(second, s, "vfio-status");
    assertThat(status.rc()).as(ctx).isZero();
    JsonNode doc = JsonMapper.builder().build().readTree(status.text());
    assertThat(doc.get("schema").asString()).isEqualTo("pcikit/vfio-status/v1");
    JsonNode devs = doc.get("vfioDevices");
    assertThat(devs.size()).as(ctx).isEqualTo(1);
    JsonNode d = devs.get(0);
    assertThat(d.get("address").asString()).isEqualTo("0000:03:00.0");
    assertThat(d.get("iommuGroup").asInt())
        .isEqualTo(Integer.parseInt(s.value("group").orElseThrow()));
    assertThat(d.get("heldBy").size()).as(ctx).isEqualTo(1);
    JsonNode h = d.get("heldBy").get(0);
    assertThat(h.get("pid").asInt()).as(ctx).isEqualTo(pid);
    assertThat(h.get("cmdline").asString())
        .isEqualTo("/lab/bin/lab-group-holder " + d.get("iommuGroup").asInt() + " 0000:03:00.0");
    assertThat(h.get("domain").asString()).isEqualTo("lab-guest");
    assertThat(h.get("domainState").asString()).isEqualTo("running");
    assertThat(h.get("domainFile").asString()).isEqualTo("/run/libvirt/qemu/lab-guest.xml");
    assertThat(d.get("libvirtDefinedDomain").asString()).isEqualTo("lab-guest");
    assertThat(d.get("fingerprint").get("dsn").asString()).isEqualTo("52-54-00-ff-ff-00-00-b2");
  }
}
