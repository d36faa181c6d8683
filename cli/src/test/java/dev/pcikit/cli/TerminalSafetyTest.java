package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.text.SafeText;
import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control characters from sysfs (an ESC sequence in driver_override, a driver whose name holds one,
 * a NUL) never reach the terminal raw, whatever the command; dry-run shell lines are quoted so that
 * bash runs them as shown.
 */
class TerminalSafetyTest {
  static final String ESC = "\u001b]0;pwned\u0007\u001b[31m";

  @TempDir Path tmp;
  Path root;
  Path dev;

  Run run(String... args) {
    return CliRun.runIn(root, args);
  }

  @BeforeEach
  void hostileTree() throws Exception {
    // a root whose own name needs quoting in a shell line
    root = tmp.resolve("it's a \"root\" $(x)");
    Path sys = root.resolve("sys");
    TreeMaterializer.materialize(DemoHosts.load("x86-workstation"), sys);
    dev = sys.resolve("bus/pci/devices/0000:03:00.0").toRealPath();
    Files.writeString(dev.resolve("driver_override"), ESC + "x\u0000y\n");
    // the device's driver: a directory named with an escape sequence
    String evil = "ev\u001b[2Jil";
    Files.createDirectories(sys.resolve("bus/pci/drivers").resolve(evil));
    String target = Files.readSymbolicLink(dev.resolve("driver")).toString();
    Files.delete(dev.resolve("driver"));
    Files.createSymbolicLink(
        dev.resolve("driver"), Path.of(target.substring(0, target.lastIndexOf('/') + 1) + evil));
  }

  static void clean(Run r, String what) {
    String all = r.out() + r.err();
    assertThat(all.codePoints().noneMatch(SafeText::unsafeForTerminal))
        .as("%s printed a control character:%n%s", what, all)
        .isTrue();
  }

  @Test
  void everyTextRendererEscapes() {
    for (List<String> cmd :
        List.of(
            List.of("list"),
            List.of("list", "--tree", "-k"),
            List.of("show", "03:00.0"),
            List.of("check"),
            List.of("check", "03:00.0"),
            List.of("groups"),
            List.of("drivers", "03:00.0"),
            List.of("vfio", "status"),
            List.of("vfio", "bind", "--dry-run", "--force", "03:00.0"))) {
      Run r = run(cmd.toArray(String[]::new));
      clean(r, String.join(" ", cmd));
    }
    Run show = run("show", "03:00.0");
    assertThat(show.out()).contains("\\x1b]0;pwned\\x07\\x1b[31mx\\x00y").contains("ev\\x1b[2Jil");
  }

  /** The real thing: bash runs the printed lines and the tree gets exactly the planned writes. */
  @Test
  void dryRunLinesRunInBashAsShown() throws Exception {
    Files.writeString(dev.resolve("driver_override"), "\n");
    Run r = run("vfio", "bind", "--dry-run", "--force", "03:00.0");
    assertThat(r.code()).as(r.err()).isZero();
    clean(r, "dry run");
    List<String> lines = r.out().lines().filter(l -> !l.startsWith("modprobe ")).toList();
    assertThat(lines).isNotEmpty();
    Path unbind = dev.resolve("driver").toRealPath().resolve("unbind");
    for (String line : lines) {
      // a written path must already exist (sysfs never creates files): only known files change
      Process p =
          new ProcessBuilder("bash", "-c", "set -e; " + line).redirectErrorStream(true).start();
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(line + ": " + said).isZero();
    }
    assertThat(Files.readString(dev.resolve("driver_override"))).isEqualTo("vfio-pci\n");
    assertThat(Files.readString(unbind)).isEqualTo("0000:03:00.0\n");
  }
}
