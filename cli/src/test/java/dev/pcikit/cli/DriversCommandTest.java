package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DriversCommandTest {

  static final String VER = "6.1.0-test";
  static final String MLX = "pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00";
  static final String E1000E = "pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00";

  @TempDir Path root;

  @BeforeEach
  void host() throws IOException {
    Path mods = Files.createDirectories(root.resolve("lib/modules").resolve(VER));
    Files.writeString(
        mods.resolve("modules.alias"),
        "alias pci:v00008086d000010D3sv*sd*bc*sc*i* e1000e\n"
            + "alias pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_core\n"
            + "alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n"
            + "alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci\n");
    Files.writeString(mods.resolve("modules.dep"), "kernel/vfio-pci.ko:\n");
    Files.createDirectories(root.resolve("proc/sys/kernel"));
    Files.writeString(root.resolve("proc/sys/kernel/osrelease"), VER + "\n");
    for (String[] d : new String[][] {{"0000:03:00.0", MLX}, {"0000:00:19.0", E1000E}}) {
      Path dev = Files.createDirectories(root.resolve("sys/bus/pci/devices").resolve(d[0]));
      Files.writeString(dev.resolve("modalias"), d[1] + "\n");
    }
  }

  Run pcikit(String... args) {
    return CliRun.run(CliRun.prefixed(List.of("drivers", "--root", root.toString()), args));
  }

  @Test
  void devicesInText() {
    Run r = pcikit("0000:03:00.0", "00:19.0");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("0000:03:00.0  " + MLX)
        .contains("host modules:  mlx5_core")
        .contains("vfio modules:  vfio_pci, mlx5_vfio_pci")
        .contains("vfio driver:   mlx5_vfio_pci (fewest '*'")
        .contains("0000:00:19.0  " + E1000E)
        .contains("vfio driver:   vfio_pci (the only matching vfio_pci alias");
  }

  @Test
  void modaliasesInJson() {
    Run r = pcikit("--modalias", MLX, "vfio-pci:" + E1000E.substring(4), "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode top = JsonMapper.builder().build().readTree(r.out());
    assertThat(top.get("kernelRelease").asString()).isEqualTo(VER);
    JsonNode mlx = top.get("entries").get(0);
    assertThat(mlx.get("modalias").asString()).isEqualTo(MLX);
    assertThat(mlx.get("device").isNull()).isTrue();
    assertThat(mlx.get("hostModules").toString()).isEqualTo("[\"mlx5_core\"]");
    assertThat(mlx.get("vfioModules").toString()).isEqualTo("[\"vfio_pci\",\"mlx5_vfio_pci\"]");
    assertThat(mlx.get("chosenVfioDriver").asString()).isEqualTo("mlx5_vfio_pci");
    assertThat(mlx.get("vfioCandidates").get(1).get("wildcards").asInt()).isEqualTo(5);
    assertThat(mlx.get("reason").asString()).contains("fewest");
    JsonNode vfio = top.get("entries").get(1);
    assertThat(vfio.get("hostModules").toString()).isEqualTo("[\"vfio_pci\"]");
  }

  @Test
  void userDriverWins() {
    Run r = pcikit("0000:03:00.0", "--driver", "vfio-pci");
    assertThat(r.out()).contains("vfio driver:   vfio-pci (named by the user (--driver)");
  }

  @Test
  void modulesDirAndReleaseOptions() throws IOException {
    Path other = root.resolve("other");
    Files.createDirectories(other.resolve("lib/modules/7.0"));
    Files.writeString(
        other.resolve("lib/modules/7.0/modules.alias"),
        "alias pci:v000015B3d*sv*sd*bc*sc*i* other_driver\n");
    Run r = pcikit("--modalias", MLX, "--modules-dir", other.toString());
    assertThat(r.out()).contains("host modules:  other_driver");
    Run r2 =
        pcikit("--modalias", MLX, "--modules-dir", other.toString(), "--kernel-release", "8.0");
    assertThat(r2.code()).isEqualTo(3);
    assertThat(r2.err()).contains("lib/modules/8.0/modules.alias: not found");
  }

  @Test
  void configAliasAndWarnings() throws IOException {
    Path etc = Files.createDirectories(root.resolve("etc/modprobe.d"));
    Files.writeString(etc.resolve("local.conf"), "alias pci:v000015B3* my_driver\nbogus line\n");
    Run r = pcikit("0000:03:00.0");
    assertThat(r.out()).contains("host modules:  my_driver  [modprobe.d alias: ");
    assertThat(r.err()).contains("pcikit: warning: ").contains("local.conf:2: unknown command");
  }

  @Test
  void modaliasIsBuiltFromIdsWhenTheTreeLacksIt() throws IOException {
    Path dev = Files.createDirectories(root.resolve("sys/bus/pci/devices/0000:05:00.0"));
    Files.writeString(dev.resolve("vendor"), "0x15b3\n");
    Files.writeString(dev.resolve("device"), "0x101e\n");
    Files.writeString(dev.resolve("subsystem_vendor"), "0x15b3\n");
    Files.writeString(dev.resolve("subsystem_device"), "0x0001\n");
    Files.writeString(dev.resolve("class"), "0x020000\n");
    Run r = pcikit("0000:05:00.0");
    assertThat(r.out()).contains("0000:05:00.0  " + MLX).contains("mlx5_vfio_pci");
    assertThat(r.err()).contains("no modalias attribute; built from its ID attributes");
    Files.delete(dev.resolve("class"));
    assertThat(pcikit("0000:05:00.0").code()).isEqualTo(4);
  }

  @Test
  void errors() {
    assertThat(pcikit("0000:09:00.0").err()).contains("0000:09:00.0: no such PCI device");
    assertThat(pcikit("0000:09:00.0").code()).isEqualTo(3);
    assertThat(pcikit().code()).isEqualTo(2);
    assertThat(pcikit("zz").code()).isEqualTo(2);
    Run bad = pcikit("--modalias", "pci:v*");
    assertThat(bad.code()).isEqualTo(4);
    assertThat(bad.err()).contains("wildcard");
  }
}
