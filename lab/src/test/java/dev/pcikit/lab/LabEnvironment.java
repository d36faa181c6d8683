package dev.pcikit.lab;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the lab lives and whether it can run here. The lab is skipped with -Dpcikit.lab.skip=true.
 * A missing tool fails the test when the environment variable CI is set (CI installs every tool
 * with scripts/install-deps.sh) and skips it otherwise.
 */
public final class LabEnvironment {
  private LabEnvironment() {}

  public static Path projectDir() {
    String dir = System.getProperty("pcikit.projectDir");
    Path p = dir != null ? Path.of(dir) : Path.of("").toAbsolutePath().getParent();
    return p.toAbsolutePath().normalize();
  }

  public static Path labDir() {
    return projectDir().resolve("lab");
  }

  public static Path logsDir() {
    return labDir().resolve("target/lab-logs");
  }

  public static Path pcikitJar() {
    return projectDir().resolve("cli/target/pcikit.jar");
  }

  public static boolean inCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isEmpty() && !ci.equals("false");
  }

  /** Aborts (skips) the calling test when the lab is switched off or cannot run here. */
  public static void requireLab(String... commands) {
    if (Boolean.parseBoolean(System.getProperty("pcikit.lab.skip", "false"))) {
      abort("real-kernel lab skipped (-Dpcikit.lab.skip=true)");
    }
    List<String> missing = new ArrayList<>();
    for (String c : commands) {
      if (!onPath(c)) {
        missing.add(c);
      }
    }
    if (!Files.isRegularFile(pcikitJar())) {
      missing.add(pcikitJar().toString());
    }
    if (!missing.isEmpty()) {
      String msg =
          "real-kernel lab needs " + missing + " (scripts/install-deps.sh test installs it)";
      if (inCi()) {
        fail(msg);
      }
      abort(msg);
    }
  }

  static boolean onPath(String command) {
    if (command.contains("/")) {
      return Files.isExecutable(Path.of(command));
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin")) { // depmod lives there on Debian
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
