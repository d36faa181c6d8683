package dev.pcikit.core.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.DeviceReader;
import java.io.IOException;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The one parser of per-device attributes, and the readers that share it agreeing. */
class PciAttributesTest {
  private static final PciAddress PF = PciAddress.parse("0000:17:00.0");

  @Test
  void numbersAsTheKernelPrintsThem() {
    assertThat(PciAttributes.number("0x8086\n", 16)).hasValue(0x8086);
    assertThat(PciAttributes.number("10fb", 16)).hasValue(0x10fb);
    assertThat(PciAttributes.number("-1", 10)).hasValue(-1);
    assertThat(PciAttributes.number("0x0003", 10)).hasValue(3); // s390 vfn: "0x%04x"
    assertThat(PciAttributes.number("0xffffffff", 16)).hasValue(-1);
    assertThat(PciAttributes.number("0x100000000", 16)).isEmpty();
    assertThat(PciAttributes.number("12a", 10)).isEmpty();
    assertThat(PciAttributes.number("", 16)).isEmpty();
    assertThat(PciAttributes.number("0x", 16)).isEmpty();
  }

  @Test
  void virtfnEntriesNeedADecimalIndex() {
    assertThat(PciAttributes.virtfnIndex("virtfn12")).hasValue(12);
    assertThat(PciAttributes.virtfnIndex("virtfn")).isEmpty();
    assertThat(PciAttributes.virtfnIndex("virtfnX")).isEmpty();
    assertThat(PciAttributes.virtfnIndex("virtfn١")).isEmpty(); // a non-ASCII digit
    assertThat(PciAttributes.virtfnIndex("virtfn1234567")).isEmpty();
  }

  @Test
  void theModaliasIsTheKernelsFormat() {
    assertThat(PciAttributes.modalias(0x8086, 0x1539, 0x8086, 0x0000, 0x020000))
        .isEqualTo("pci:v00008086d00001539sv00008086sd00000000bc02sc00i00");
    assertThat(PciAttributes.modalias(0x10de, 0x1db6, -1, -1, 0x030200))
        .isEqualTo("pci:v000010DEd00001DB6sv00000000sd00000000bc03sc02i00");
  }

  @Test
  void malformedAttributesAreEmptyAndTheEngineSeesWhatTheInventorySees() throws IOException {
    MemorySysfs s =
        new MemorySysfs()
            .putText("bus/pci/devices/0000:17:00.0/vendor", "0x8086\n")
            .putText("bus/pci/devices/0000:17:00.0/device", "garbage\n")
            .putText("bus/pci/devices/0000:17:00.0/sriov_numvfs", "2\n")
            .putLink("bus/pci/devices/0000:17:00.0/virtfn1", "../0000:17:00.2")
            .putLink("bus/pci/devices/0000:17:00.0/virtfn0", "../0000:17:00.1")
            .putLink("bus/pci/devices/0000:17:00.0/virtfnX", "../0000:17:00.3")
            .putLink("bus/pci/devices/0000:17:00.0/iommu_group", "../../kernel/iommu_groups/7");
    PciAttributes a = new PciAttributes(s);
    assertThat(a.hex(PF, "vendor")).hasValue(0x8086);
    assertThat(a.hex(PF, "device")).isEmpty();
    assertThat(a.hex(PF, "class")).isEqualTo(OptionalInt.empty());
    assertThat(a.dec(PF, "sriov_numvfs")).hasValue(2);
    assertThat(a.iommuGroup(PF)).hasValue(7);
    assertThat(a.virtfns(PF).values())
        .containsExactly(PciAddress.parse("0000:17:00.1"), PciAddress.parse("0000:17:00.2"));
    DeviceReader reader = new DeviceReader(s);
    assertThat(reader.ids(PF)).isEqualTo("8086:ffff");
    assertThat(reader.read(PF).virtfns())
        .containsExactly(PciAddress.parse("0000:17:00.1"), PciAddress.parse("0000:17:00.2"));
  }
}
