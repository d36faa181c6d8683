package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real, unmodified lspci against a materialized tree. */
public final class Lspci {
  private Lspci() {}

  public record Result(int exit, String out, String err) {}

  /** Fails under CI (tools are installed there), skips elsewhere, when lspci is missing. */
  public static void requireInstalled() {
    binary();
  }

  static Path binary() {
    for (String p : List.of("/usr/bin/lspci", "/usr/sbin/lspci", "/bin/lspci", "/sbin/lspci")) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    if (System.getenv("CI") != null) {
      fail("lspci (pciutils) is not installed; CI must install it (scripts/install-deps.sh)");
    }
    assumeTrue(false, "lspci not installed");
    return null;
  }

  public static Result run(Path sysfsDir, String... opts) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    cmd.add("-A");
    cmd.add("linux-sysfs");
    cmd.add("-O");
    cmd.add("sysfs.path=" + sysfsDir.resolve("bus/pci"));
    // names from the given pci.ids only: with udev's hwdb installed (it comes with udev), lspci
    // asks it first and its prefix matches name subsystems that pci.ids does not (lib/names-hwdb.c)
    cmd.add("-O");
    cmd.add("hwdb.disable=1");
    cmd.addAll(List.of(opts));
    Path err = Files.createTempFile("lspci", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      return new Result(rc, out, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /**
   * -k makes lspci open libkmod for the running kernel; on a machine without /lib/modules/$(uname
   * -r) (containers) it says so once. That line is about the machine running the test, not about
   * the tree.
   */
  static String withoutHostKmodNotice(String err) {
    return err.replace("lspci: Unable to load libkmod resources: error -2\n", "");
  }

  /** lspci -D -nn -k and -vvv both succeed without a word on stderr; returns the -nn output. */
  public static String readsCleanly(Path sysfsDir) throws IOException, InterruptedException {
    Result r = run(sysfsDir, "-D", "-nn", "-k");
    assertThat(withoutHostKmodNotice(r.err())).as("lspci -nnk stderr").isEmpty();
    assertThat(r.exit()).isZero();
    Result v = run(sysfsDir, "-D", "-vvv");
    assertThat(withoutHostKmodNotice(v.err())).as("lspci -vvv stderr").isEmpty();
    assertThat(v.exit()).isZero();
    return r.out();
  }
}
