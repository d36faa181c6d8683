package dev.pcikit.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.modalias.ModuleAliases;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.MemorySysfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The variant-driver choice reaches the binding engine; without aliases, vfio-pci. */
class AliasVfioChooserTest {
  @TempDir Path dir;

  private static DeviceFacts facts(MemorySysfs s, String bdf) throws IOException {
    return new DeviceReader(s).read(PciAddress.parse(bdf));
  }

  private static MemorySysfs host() {
    MemorySysfs s = new MemorySysfs();
    for (String[] d :
        new String[][] {
          {"0000:01:00.0", "pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00"},
          {"0000:02:00.0", "pci:v00008086d00001533sv00008086sd00000001bc02sc00i00"}
        }) {
      s.putText("bus/pci/devices/" + d[0] + "/modalias", d[1] + "\n");
      s.putText("bus/pci/devices/" + d[0] + "/vendor", "0x0000\n");
    }
    return s;
  }

  @Test
  void theVariantWithFewestWildcardsWins() throws IOException {
    Path mods = Files.createDirectories(dir.resolve("lib/modules/6.1.0-test"));
    Files.writeString(
        mods.resolve("modules.alias"),
        "# Aliases extracted from modules themselves.\n"
            + "alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n"
            + "alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci\n");
    MemorySysfs s = host();
    AliasVfioChooser c =
        new AliasVfioChooser(s, () -> ModuleAliases.load(mods, List.of(), "6.1.0-test"));
    assertThat(c.choose(facts(s, "0000:01:00.0")).driver()).isEqualTo("mlx5_vfio_pci");
    assertThat(c.choose(facts(s, "0000:02:00.0")).driver()).isEqualTo("vfio-pci");
  }

  @Test
  void withoutAliasesTheGenericDriverAndTheReason() throws IOException {
    MemorySysfs s = host();
    AliasVfioChooser c =
        new AliasVfioChooser(
            s,
            () -> {
              throw new PcikitException(Failure.NOT_FOUND, "no modules.alias");
            });
    VfioDriverChooser.Choice ch = c.choose(facts(s, "0000:01:00.0"));
    assertThat(ch.driver()).isEqualTo("vfio-pci");
    assertThat(ch.why()).contains("no modules.alias");
  }
}
