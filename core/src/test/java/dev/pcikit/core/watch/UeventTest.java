package dev.pcikit.core.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.model.PciAddress;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UeventTest {
  @Test
  void parsesUdevadmMonitorKernelLines() {
    // as printed by systemd's udevadm monitor --kernel --subsystem-match=pci
    Optional<Uevent> u =
        Uevent.parse(
            "KERNEL[6512.386614] bind     /devices/pci0000:00/0000:00:1c.0/0000:02:00.0 (pci)");
    assertThat(u)
        .hasValue(new Uevent("bind", "/devices/pci0000:00/0000:00:1c.0/0000:02:00.0", "pci"));
    assertThat(u.get().address()).hasValue(PciAddress.parse("0000:02:00.0"));
    assertThat(Uevent.parse("monitor will print the received events for:")).isEmpty();
    assertThat(Uevent.parse("KERNEL - the kernel uevent")).isEmpty();
    assertThat(Uevent.parse("")).isEmpty();
    assertThat(Uevent.parse("KERNEL[1.0] add /devices/pci0000:00 (pci_bus)").get().address())
        .isEmpty();
  }

  @Test
  void overlongLinesAreDroppedNotBuffered() throws Exception {
    String text =
        "KERNEL[1.0] add      /devices/pci0000:00/0000:00:01.0 (pci)\n"
            + "x".repeat(Uevent.MAX_LINE * 3)
            + "\nKERNEL[2.0] remove   /devices/pci0000:00/0000:00:01.0 (pci)\n";
    List<String> lines = new ArrayList<>();
    UdevadmMonitor.readLines(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), lines::add);
    assertThat(lines).hasSize(2);
    assertThat(Uevent.parse(lines.get(1)).map(Uevent::action)).hasValue("remove");
  }
}
