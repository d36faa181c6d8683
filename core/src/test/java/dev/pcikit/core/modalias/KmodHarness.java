package dev.pcikit.core.modalias;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the real kmod (and the kernel fetch script) for differential tests. */
final class KmodHarness {

  private KmodHarness() {}

  /** The tool is required in CI (which installs it); elsewhere the test is skipped. */
  static void requireTool(String tool) {
    boolean present = run(List.of("sh", "-c", "command -v " + tool), null).exit == 0;
    if (!present) {
      if (System.getenv("CI") != null) {
        fail(tool + " is missing (CI installs it with scripts/install-deps.sh)");
      }
      Assumptions.abort(tool + " not installed");
    }
  }

  static Path projectDir() {
    String p = System.getProperty("pcikit.projectDir");
    if (p != null) {
      return Path.of(p);
    }
    Path d = Path.of("").toAbsolutePath();
    while (d != null && !Files.exists(d.resolve("scripts/fetch-debian-kernel.sh"))) {
      d = d.getParent();
    }
    if (d == null) {
      throw new IllegalStateException("project directory not found");
    }
    return d;
  }

  /** {ROOT, VER} of Debian's amd64 kernel package, downloaded once into the cache. */
  static String[] debianKernel() {
    requireTool("modprobe");
    requireTool("depmod");
    requireTool("apt-get");
    Result r =
        run(List.of("sh", projectDir().resolve("scripts/fetch-debian-kernel.sh").toString()), null);
    if (r.exit != 0) {
      String msg = "scripts/fetch-debian-kernel.sh failed: " + r.err;
      if (System.getenv("CI") != null) {
        fail(msg);
      }
      Assumptions.abort(msg);
    }
    String[] parts = r.out.strip().split("\t");
    return new String[] {parts[0], parts[1]};
  }

  /**
   * {@code modprobe -C C1 -C C2 … -d ROOT -S VER -R ALIAS} for each alias, in one shell loop (one
   * process per alias, ~2 ms each). The answer is the list of printed modules, empty when modprobe
   * found nothing.
   */
  static Map<String, List<String>> resolve(
      Path root, String version, List<Path> configs, List<String> aliases) throws IOException {
    Path input = Files.createTempFile("pcikit-aliases", ".txt");
    try {
      Files.write(input, aliases, StandardCharsets.US_ASCII);
      StringBuilder c = new StringBuilder();
      for (Path p : configs) {
        c.append(" -C '").append(p).append('\'');
      }
      String script =
          "while IFS= read -r a; do modprobe"
              + c
              + " -d '"
              + root
              + "' -S '"
              + version
              + "' -R \"$a\" 2>/dev/null; printf '\\036\\n'; done < '"
              + input
              + "'";
      Result r = run(List.of("sh", "-c", script), null);
      if (r.exit != 0) {
        throw new IllegalStateException("modprobe loop failed: " + r.err);
      }
      String[] blocks = r.out.split("\u001e\n", -1);
      if (blocks.length != aliases.size() + 1) {
        throw new IllegalStateException(
            "expected " + aliases.size() + " answers, got " + (blocks.length - 1));
      }
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (int i = 0; i < aliases.size(); i++) {
        List<String> mods = new ArrayList<>();
        for (String line : blocks[i].split("\n")) {
          if (!line.isEmpty()) {
            mods.add(line);
          }
        }
        out.put(aliases.get(i), mods);
      }
      return out;
    } finally {
      Files.deleteIfExists(input);
    }
  }

  record Result(int exit, String out, String err) {}

  static Result run(List<String> cmd, Path dir) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      Path err = Files.createTempFile("pcikit-err", ".txt");
      pb.redirectError(err.toFile());
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      String e = Files.readString(err, StandardCharsets.ISO_8859_1);
      Files.deleteIfExists(err);
      return new Result(p.exitValue(), out, e);
    } catch (IOException e) {
      return new Result(127, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void check(Result r, String what) {
    if (r.exit != 0) {
      throw new IllegalStateException(what + " failed (" + r.exit + "): " + r.err);
    }
  }
}
