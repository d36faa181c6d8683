package dev.pcikit.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.MemorySysfs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slots as an identity: a slot name is one only when the firmware gave the slot a physical slot
 * number of its own. Names the kernel numbered apart (drivers/pci/slot.c make_slot_name: "0",
 * "0-1", "0-2" for three slots reporting number 0, as QEMU's root ports do) follow enumeration
 * order and must not anchor a fingerprint.
 */
class FingerprintReaderSlotTest {

  /** A root port at 00:DEV.0 with an e1000e at BUS:00.0 below it, in the slot NAME. */
  static void port(MemorySysfs s, int dev, int bus, String slotName) {
    String rp = String.format("0000:00:%02x.0", dev);
    String nic = String.format("0000:%02x:00.0", bus);
    String d = "devices/pci0000:00/" + rp + "/" + nic;
    s.putText(d + "/vendor", "0x8086\n");
    s.putText(d + "/device", "0x10d3\n");
    s.putText(d + "/class", "0x020000\n");
    s.putFile(d + "/config", new byte[256]);
    s.putLink("bus/pci/devices/" + nic, "../../../" + d);
    s.putText("bus/pci/slots/" + slotName + "/address", String.format("0000:%02x:00\n", bus));
  }

  @Test
  void aSlotWithANumberOfItsOwnAnchorsTheFingerprint() throws Exception {
    MemorySysfs s = new MemorySysfs();
    port(s, 2, 1, "7");
    port(s, 3, 2, "8");
    DeviceIdentity id = new FingerprintReader(s).read(PciAddress.parse("0000:02:00.0"));
    assertThat(id.fingerprint().slot()).hasValue("8");
    assertThat(id.fingerprint().strength()).isEqualTo(Strength.SLOT);
    assertThat(id.findings()).isEmpty();
  }

  @Test
  void slotNamesTheKernelNumberedApartAreNotAnIdentity() throws Exception {
    MemorySysfs s = new MemorySysfs();
    port(s, 2, 1, "0");
    port(s, 3, 2, "0-1");
    port(s, 4, 3, "0-2");
    FingerprintReader r = new FingerprintReader(s);
    for (String a : List.of("0000:01:00.0", "0000:02:00.0", "0000:03:00.0")) {
      DeviceIdentity id = r.read(PciAddress.parse(a));
      assertThat(id.fingerprint().slot()).as(a).isEmpty();
      assertThat(id.fingerprint().strength()).as(a).isEqualTo(Strength.PATH_ONLY);
      assertThat(id.findings()).as(a).anyMatch(f -> f.contains("shares its physical slot number"));
    }
  }

  @Test
  void onlyKernelMadeSuffixesCount() {
    assertThat(FingerprintReader.numberedApart(List.of("0", "0-1", "0-12", "3", "4-1", "5-x")))
        .containsExactlyInAnyOrder("0", "0-1", "0-12");
    // POWER location codes contain dashes but no numeric suffix of another slot's name
    assertThat(
            FingerprintReader.numberedApart(
                List.of("U78CB.001.WZS0JM8-P1-C7", "U78CB.001.WZS0JM8-P1-C8", "U78CB.001.WZS0JM8")))
        .isEmpty();
  }
}
