package dev.pcikit.core.modalias;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random alias patterns over a tiny alphabet (so that many overlap) in stub modules, in
 * modules.builtin.modinfo and in modprobe.d files, against {@code modprobe -C … -R}: the order of
 * several matches (module order, built-in alias order), wildcards {@code * ? [..] [!..] [a-c]},
 * dashes, patterns with spaces, config precedence, install commands.
 */
class KmodFuzzDifferentialTest {

  private static final String VERSION = "9.9.9-fuzz";

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void randomPatternsAgreeWithModprobe(long seed) throws IOException {
    KmodHarness.requireTool("modprobe");
    KmodHarness.requireTool("depmod");
    KmodHarness.requireTool("gcc");
    Random rnd = new Random(seed);
    Path root = tmp.resolve("root");
    Path dir = root.resolve("lib/modules").resolve(VERSION);
    Files.createDirectories(dir);

    // modules with aliases "x:…", listed in modules.order in a shuffled order
    List<String> order = new ArrayList<>();
    for (int m = 0; m < 10; m++) {
      List<String> aliases = new ArrayList<>();
      int n = 1 + rnd.nextInt(5);
      for (int a = 0; a < n; a++) {
        aliases.add("x:" + pattern(rnd));
      }
      if (m == 3) {
        aliases.add("x:a b*"); // a pattern with a space: the module is the last token
      }
      String rel = "kernel/fuzz/m" + m + (m % 2 == 0 ? "-dash" : "") + ".ko";
      VariantDriverDifferentialTest.writeStub(dir.resolve(rel), aliases);
      order.add(rel);
    }
    Collections.shuffle(order, rnd);
    Files.write(dir.resolve("modules.order"), order);

    // built-in modules with aliases "y:…" (all priority 0: the walk order decides)
    StringBuilder modinfo = new StringBuilder();
    List<String> builtin = new ArrayList<>();
    for (int b = 0; b < 8; b++) {
      int n = 1 + rnd.nextInt(3);
      for (int a = 0; a < n; a++) {
        modinfo.append("b").append(b).append(".alias=y:").append(pattern(rnd)).append('\0');
      }
      modinfo.append("b").append(b).append(".license=GPL").append('\0');
      builtin.add("kernel/fuzz/b" + b + ".ko");
    }
    modinfo.append("b2.alias=y:").append(pattern(rnd)).append('\0'); // a module seen again later
    Files.writeString(dir.resolve("modules.builtin.modinfo"), modinfo);
    Files.write(dir.resolve("modules.builtin"), builtin);
    KmodHarness.check(
        KmodHarness.run(List.of("depmod", "-b", root.toString(), VERSION), null), "depmod");

    // configuration in two directories
    Path c1 = Files.createDirectories(tmp.resolve("c1"));
    Path c2 = Files.createDirectories(tmp.resolve("c2"));
    Files.writeString(c1.resolve("10-a.conf"), "alias x:" + pattern(rnd) + " cfg-one\n");
    Files.writeString(c2.resolve("10-a.conf"), "alias x:" + pattern(rnd) + " shadowed\n");
    Files.writeString(
        c2.resolve("05-b.conf"),
        "# comment\nalias \\\n  x:"
            + pattern(rnd)
            + " cfg_two\nblacklist m1\ninstall x:cc /bin/true\n");
    Files.writeString(c1.resolve("zz.alias"), "alias y:" + pattern(rnd) + " cfg-three extra\n");
    Files.writeString(c1.resolve("notes.txt"), "alias x:* ignored_not_conf\n");
    Files.writeString(c1.resolve(".hidden.conf"), "alias x:* ignored_hidden\n");
    List<Path> configs = List.of(c1, c2);

    List<String> keys = new ArrayList<>();
    for (String prefix : List.of("x:", "y:")) {
      keys.add(prefix);
      addAll(prefix, "", 4, keys);
    }
    keys.addAll(List.of("x:a b", "x:a bc", "x:a-b", "y:c-a", "m1", "m0-dash", "b3", "x:cc"));

    for (List<Path> cfg : List.of(List.of(tmp.resolve("none")), configs)) {
      AliasIndex index = ModuleAliases.load(dir, cfg, VERSION);
      Map<String, List<String>> kmod = KmodHarness.resolve(root, VERSION, cfg, keys);
      KmodDifferentialTest.assertAgreement(index, kmod);
    }
  }

  private static void addAll(String prefix, String sofar, int depth, List<String> out) {
    if (depth == 0) {
      return;
    }
    for (char c : new char[] {'a', 'b', 'c', '_'}) {
      String s = sofar + c;
      out.add(prefix + s);
      addAll(prefix, s, depth - 1, out);
    }
  }

  /** A random pattern over a, b, c, '-', '_' with wildcards. */
  static String pattern(Random rnd) {
    StringBuilder b = new StringBuilder();
    int n = rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      switch (rnd.nextInt(10)) {
        case 0, 1 -> b.append('*');
        case 2 -> b.append('?');
        case 3 -> b.append("[ab]");
        case 4 -> b.append("[!a]");
        case 5 -> b.append("[a-c]");
        case 6 -> b.append('-');
        default -> b.append("abc_".charAt(rnd.nextInt(4)));
      }
    }
    return b.toString();
  }
}
