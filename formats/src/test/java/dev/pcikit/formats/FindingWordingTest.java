package dev.pcikit.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.check.Finding;
import dev.pcikit.core.check.FixAction;
import dev.pcikit.core.check.Verdict;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.ids.PciIds;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.sim.SimulatedHost;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The core words fixes in domain terms and types what pcikit can do; the command line and the check
 * document name the pcikit command, word for word as they did before the action was typed.
 */
class FindingWordingTest {
  private static final PciAddress A = PciAddress.parse("0000:00:1f.3");

  @Test
  void eachActionIsWordedAsThePcikitCommandThatDoesIt() {
    Finding group =
        Finding.warning(
                "group-shared", A.toString(), "IOMMU group 10 is shared", "bind the whole group")
            .with(FixAction.bindGroup(A));
    assertThat(FindingWording.fix(group))
        .isEqualTo("bind the whole group: pcikit vfio bind --group 0000:00:1f.3");
    Finding also =
        Finding.blocking(
                "reset-blast-radius",
                A.toString(),
                "has no function-level reset",
                "move the card to a slot of its own, or give those devices to the same guest"
                    + " (bound to vfio-pci too), or choose a device with FLR")
            .with(FixAction.bindAlso(List.of(PciAddress.parse("0000:02:01.0"))));
    assertThat(FindingWording.fix(also))
        .isEqualTo(
            "move the card to a slot of its own, or give those devices to the same guest"
                + " (pcikit vfio bind them too), or choose a device with FLR");
    Finding driver =
        Finding.ok("driver", A.toString(), "bound to host driver igb")
            .with(FixAction.bindDevice(A));
    assertThat(FindingWording.message(driver))
        .isEqualTo("bound to host driver igb ('pcikit vfio bind' moves it to vfio-pci)");
    assertThat(FindingWording.fix(driver)).isEmpty();
    Finding onHost =
        Finding.warning("host-usage", "host", "not inspected", "check on the host itself")
            .with(FixAction.checkOnHost(false));
    assertThat(FindingWording.fix(onHost)).isEqualTo("run pcikit check on the host itself");
    Finding asRoot =
        Finding.warning(
                "host-usage", A.toString(), "could not inspect", "check as root on the host")
            .with(FixAction.checkOnHost(true));
    assertThat(FindingWording.fix(asRoot)).isEqualTo("run pcikit check as root on the host");
    Finding plain = new Finding("iommu-enabled", Verdict.BLOCKING, "host", "no groups", "reboot");
    assertThat(FindingWording.fix(plain)).isEqualTo("reboot");
    assertThat(FindingWording.message(plain)).isEqualTo("no groups");
  }

  @Test
  void checkDocumentKeepsWordedFieldsAndAddsTheTypedAction() {
    SimulatedHost host = SimulatedHost.open("demo:x86-workstation");
    Inventory inv = host.inventory(InventoryReader.Detail.LISTING);
    CheckReport r = host.checker().run(inv, inv.devices(), false);
    ObjectNode doc = CheckJson.document(r, inv, new DeviceNames(PciIds.empty()));
    JsonNode dev = null;
    for (JsonNode d : doc.get("devices")) {
      if (d.get("bdf").asString().equals(A.toString())) {
        dev = d;
      }
    }
    assertThat(dev).isNotNull();
    JsonNode shared = null;
    JsonNode driver = null;
    for (JsonNode f : dev.get("findings")) {
      if (f.get("code").asString().equals("group-shared")) {
        shared = f;
      } else if (f.get("code").asString().equals("driver")) {
        driver = f;
      }
    }
    assertThat(shared.get("fix").asString())
        .isEqualTo("bind the whole group: pcikit vfio bind --group 0000:00:1f.3");
    assertThat(shared.get("action").get("kind").asString()).isEqualTo("bind-group");
    assertThat(shared.get("action").get("devices").get(0).asString()).isEqualTo(A.toString());
    assertThat(driver.get("message").asString())
        .endsWith("('pcikit vfio bind' moves it to vfio-pci)");
    assertThat(driver.get("fix").isNull()).isTrue();
    assertThat(driver.get("action").get("kind").asString()).isEqualTo("bind-device");
    for (JsonNode f : doc.get("host")) {
      assertThat(f.has("action")).isTrue();
    }
  }
}
