package dev.pcikit.core.modalias;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.sysfs.SystemRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AliasIndexTest {

  static final String VER = "6.1.0-test";
  static final String MLX = "pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00";

  @TempDir Path root;
  Path dir;

  @BeforeEach
  void modules() throws IOException {
    dir = Files.createDirectories(root.resolve("lib/modules").resolve(VER));
    Files.writeString(
        dir.resolve("modules.alias"),
        String.join(
            "\n",
            "# Aliases extracted from modules themselves.",
            "alias pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_core",
            "alias pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_core",
            "alias pci:v*d*sv*sd*bc02sc00i* mlx5_core",
            "alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci",
            "alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci",
            "alias acpi*:PNP0A0[38]:* with space_pat",
            "alias weird pattern with spaces weird_mod",
            "alias net-pf-10 ipv6",
            ""));
    Files.writeString(
        dir.resolve("modules.dep"),
        "kernel/drivers/net/mlx5_core.ko.xz:\nkernel/drivers/vfio/pci/vfio-pci.ko.xz: x.ko\n");
    Files.writeString(dir.resolve("modules.builtin"), "kernel/drivers/pci/pcieport.ko\n");
    Files.writeString(
        dir.resolve("modules.builtin.modinfo"),
        "pcieport.alias=pci:v*d*sv*sd*bc06sc04i00\0pcieport.license=GPL\0",
        StandardCharsets.ISO_8859_1);
  }

  AliasIndex load() {
    return ModuleAliases.load(new SystemRoot(root), VER);
  }

  @Test
  void answersInFileOrderOncePerMatchingLine() {
    AliasIndex index = load();
    assertThat(index.warnings()).isEmpty();
    assertThat(index.modulesFor(MLX)).containsExactly("mlx5_core", "mlx5_core", "mlx5_core");
    Lookup l = index.lookup(MLX);
    assertThat(l.source()).isEqualTo(Lookup.Source.MODULES_ALIAS);
    assertThat(l.matches().get(0).line()).isEqualTo(2);
  }

  @Test
  void matchingIsCaseSensitive() {
    assertThat(load().modulesFor(MLX.replace("101E", "101e").replace("bc02", "bc03"))).isEmpty();
  }

  @Test
  void dashedPrefixIsNormalised() {
    String vfio = "vfio-pci:" + MLX.substring(4);
    assertThat(load().modulesFor(vfio)).containsExactly("vfio_pci", "mlx5_vfio_pci");
    assertThat(load().lookup(vfio).alias()).startsWith("vfio_pci:");
  }

  @Test
  void patternsWithSpacesTakeTheLastTokenAsModule() {
    AliasIndex index = load();
    assertThat(index.modulesFor("weird pattern with spaces")).containsExactly("weird_mod");
    assertThat(index.modulesFor("acpiX:PNP0A08:x with")).containsExactly("space_pat");
    assertThat(index.modulesFor("net-pf-10")).containsExactly("ipv6");
  }

  @Test
  void moduleNamesAndBuiltins() {
    AliasIndex index = load();
    assertThat(index.lookup("vfio-pci").source()).isEqualTo(Lookup.Source.MODULE_NAME);
    assertThat(index.modulesFor("vfio-pci")).containsExactly("vfio_pci");
    assertThat(index.lookup("pcieport").source()).isEqualTo(Lookup.Source.BUILTIN_MODULE);
    Lookup port = index.lookup("pci:v00008086d00001234sv00000000sd00000000bc06sc04i00");
    assertThat(port.source()).isEqualTo(Lookup.Source.BUILTIN_ALIAS);
    assertThat(port.modules()).containsExactly("pcieport");
  }

  @Test
  void configAliasReplacesModulesAlias() throws IOException {
    Path etc = Files.createDirectories(root.resolve("etc/modprobe.d"));
    Path lib = Files.createDirectories(root.resolve("lib/modprobe.d"));
    Files.writeString(lib.resolve("50-vendor.conf"), "alias pci:v000015B3d* vendor-choice\n");
    Files.writeString(etc.resolve("50-vendor.conf"), "alias pci:v000015B3d* admin-choice\n");
    Files.writeString(lib.resolve("10-first.conf"), "alias pci:v000015B3d0000101E* first\n");
    AliasIndex index = load();
    Lookup l = index.lookup(MLX);
    assertThat(l.source()).isEqualTo(Lookup.Source.CONFIG);
    // sorted by file name across directories; /etc shadows /lib for the same name
    assertThat(l.modules()).containsExactly("first", "admin_choice");
    assertThat(l.matches().get(1).file()).endsWith("etc/modprobe.d/50-vendor.conf");
  }

  @Test
  void vfioChoiceTakesFewestWildcardsAndUserWins() {
    AliasIndex index = load();
    VfioChoice c = index.chooseVfio(MLX, Optional.empty());
    assertThat(c.vfioAlias()).contains("vfio_pci:" + MLX.substring(4));
    assertThat(c.candidateModules()).containsExactly("vfio_pci", "mlx5_vfio_pci");
    assertThat(c.chosen()).contains("mlx5_vfio_pci");
    assertThat(c.reason()).contains("vfio_pci 7").contains("has 5");
    assertThat(c.tie()).isFalse();

    VfioChoice generic =
        index.chooseVfio("pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00", Optional.empty());
    assertThat(generic.chosen()).contains("vfio_pci");

    VfioChoice user = index.chooseVfio(MLX, Optional.of("vfio-pci"));
    assertThat(user.chosen()).contains("vfio-pci");
    assertThat(user.byUser()).isTrue();
    assertThat(user.reason()).contains("would pick mlx5_vfio_pci");

    assertThat(index.chooseVfio("usb:v1234p5678", Optional.empty()).chosen()).isEmpty();
  }

  @Test
  void kernelsWithoutVfioAliasesFallBackToTheGenericModule() throws IOException {
    Files.writeString(dir.resolve("modules.alias"), "alias pci:v*d*sv*sd*bc01sc08i02 nvme\n");
    VfioChoice c =
        load()
            .chooseVfio("pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02", Optional.empty());
    assertThat(c.chosen()).contains("vfio_pci");
    assertThat(c.fallback()).isTrue();
    assertThat(c.reason()).contains("before 5.15");
  }

  @Test
  void badLinesAreReportedWithFileAndLine() throws IOException {
    String huge = "alias pci:" + "x".repeat(20000) + " huge";
    Files.writeString(
        dir.resolve("modules.alias"),
        "alias pci:v*d*sv*sd*bc01sc08i02 nvme\n"
            + "garbage line\n"
            + "alias lonely\n"
            + "alias pci:v[12 broken\n"
            + huge
            + "\n"
            + "alias pci:v\u00e9* accent\n"
            + "alias pci:v*d*sv*sd*bc01sc08i0[2] nvme_too\n",
        StandardCharsets.ISO_8859_1);
    AliasIndex index = load();
    String f = dir.resolve("modules.alias").toString();
    assertThat(index.warnings())
        .anySatisfy(w -> assertThat(w).startsWith(f + ":2: not an 'alias"))
        .anySatisfy(w -> assertThat(w).startsWith(f + ":3: alias line without"))
        .anySatisfy(w -> assertThat(w).startsWith(f + ":4: unmatched bracket"))
        .anySatisfy(w -> assertThat(w).startsWith(f + ":5: line longer than"))
        .anySatisfy(w -> assertThat(w).startsWith(f + ":6: NUL or bytes outside 7-bit ASCII"));
    assertThat(index.modulesFor("pci:v1d2sv3sd4bc01sc08i02")).containsExactly("nvme", "nvme_too");
  }

  @Test
  void missingModulesAliasIsAnErrorNamingTheFile() throws IOException {
    Files.delete(dir.resolve("modules.alias"));
    assertThatThrownBy(this::load)
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining(dir.resolve("modules.alias").toString())
        .hasMessageContaining("run depmod")
        .extracting(e -> ((PcikitException) e).failure())
        .isEqualTo(Failure.NOT_FOUND);
    assertThatThrownBy(() -> ModuleAliases.load(new SystemRoot(root), "9.9-none"))
        .hasMessageContaining("no module directory for kernel 9.9-none");
  }

  @Test
  void unreadableModulesAliasIsAnError() throws IOException {
    Path f = dir.resolve("modules.alias");
    if (!f.toFile().setReadable(false) || Files.isReadable(f)) {
      return; // running as root: permissions do not apply; the directory case below still runs
    }
    assertThatThrownBy(this::load).hasMessageContaining("cannot read");
  }

  @Test
  void refusesStringsKmodWouldAnswerUnreliably() {
    AliasIndex index = load();
    assertThatThrownBy(() -> index.modulesFor("pci:v*"))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("wildcard");
    assertThatThrownBy(() -> index.modulesFor("pci:v]")).hasMessageContaining("unmatched bracket");
    assertThatThrownBy(() -> index.modulesFor("p".repeat(5000)))
        .hasMessageContaining("longer than kmod accepts");
  }

  @Test
  void releaseComesFromProc() throws IOException {
    Path proc = Files.createDirectories(root.resolve("proc/sys/kernel"));
    Files.writeString(proc.resolve("osrelease"), VER + "\n");
    assertThat(ModuleAliases.runningRelease(new SystemRoot(root))).isEqualTo(VER);
    Files.writeString(proc.resolve("osrelease"), "../../etc\n");
    assertThatThrownBy(() -> ModuleAliases.runningRelease(new SystemRoot(root)))
        .hasMessageContaining("not a kernel release");
  }

  @Test
  void configFilesMayHoldUtf8Comments() throws IOException {
    Path etc = Files.createDirectories(root.resolve("etc/modprobe.d"));
    Files.writeString(
        etc.resolve("local.conf"),
        "# Netzwerkkarte für die VM\nalias pci:v000015B3* mine\n",
        StandardCharsets.UTF_8);
    AliasIndex index = load();
    assertThat(index.warnings()).isEmpty();
    assertThat(index.modulesFor(MLX)).containsExactly("mine");
  }

  @Test
  void missingBuiltinListIsReported() throws IOException {
    Files.delete(dir.resolve("modules.builtin"));
    assertThat(load().warnings())
        .anySatisfy(w -> assertThat(w).contains("modules.builtin is missing"));
  }

  @Test
  void configFilesNeedConfOrAliasSuffix() throws IOException {
    Path etc = Files.createDirectories(root.resolve("etc/modprobe.d"));
    Files.writeString(etc.resolve("README"), "alias pci:* nope\n");
    Files.writeString(etc.resolve("x.conf.bak"), "alias pci:* nope\n");
    Files.writeString(etc.resolve("bad.conf"), "frobnicate all\nalias onlyone\n");
    AliasIndex index = load();
    assertThat(index.lookup(MLX).source()).isEqualTo(Lookup.Source.MODULES_ALIAS);
    assertThat(index.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .endsWith("bad.conf:1: unknown command 'frobnicate'; line ignored (as kmod)"))
        .anySatisfy(w -> assertThat(w).contains("bad.conf:2: 'alias' needs"));
    assertThat(List.copyOf(index.config().files())).hasSize(1);
  }
}
