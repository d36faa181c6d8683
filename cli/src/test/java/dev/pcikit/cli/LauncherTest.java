package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pcikit, run as an admin runs it: with only JDK 17, with JDK 25 next to it (the newest is
 * picked, with an AOT cache), and with a stale, truncated or garbage archive, which must cost
 * speed, never the command. The jar is a fixture ({@link LauncherFixtureMain}), so the test does
 * not depend on the packaged pcikit.jar.
 */
class LauncherTest {
  static final Path LAUNCHER = Path.of("..", "bin", "pcikit").toAbsolutePath().normalize();
  static final Path JDK17 = jdk(17);
  static final Path JDK25 = jdk(25);

  @TempDir Path tmp;
  Path jar;
  Path cache;

  record Run(int code, String out, String err) {}

  /** A JDK of that feature version: the one running the tests, or one under /usr/lib/jvm. */
  static Path jdk(int feature) {
    if (Runtime.version().feature() == feature) {
      return Path.of(System.getProperty("java.home"));
    }
    try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
      return s.filter(h -> !Files.isSymbolicLink(h))
          .filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(h -> release(h).startsWith(feature + ".") || release(h).equals("" + feature))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  static String release(Path home) {
    try {
      for (String l : Files.readAllLines(home.resolve("release"))) {
        if (l.startsWith("JAVA_VERSION=")) {
          return l.substring(13).replace("\"", "");
        }
      }
    } catch (IOException e) {
      // not a JDK
    }
    return "";
  }

  @BeforeEach
  void fixtureJar() throws IOException {
    jar = tmp.resolve("lib/pcikit.jar");
    Files.createDirectories(jar.getParent());
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherFixtureMain.class.getName());
    String cls = LauncherFixtureMain.class.getName().replace('.', '/') + ".class";
    try (OutputStream o = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(o, m)) {
      j.putNextEntry(new JarEntry(cls));
      j.write(LauncherFixtureMain.class.getClassLoader().getResourceAsStream(cls).readAllBytes());
      j.closeEntry();
    }
    cache = tmp.resolve("cache");
  }

  Run launch(Map<String, String> env, String... args) throws Exception {
    return launch(env, p -> {}, args);
  }

  Run launch(Map<String, String> env, java.util.function.Consumer<Process> started, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("HOME", tmp.toString());
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    pb.environment().put("PCIKIT_JAR", jar.toString());
    pb.environment().put("PCIKIT_LAUNCHER_VERBOSE", "1");
    pb.environment().putAll(env);
    pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
    Process p = pb.start();
    started.accept(p);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
  }

  /** Only JDK 17 visible: its java first on PATH, no JDK directory scanned. */
  Map<String, String> only17() {
    return Map.of("PATH", JDK17.resolve("bin") + ":/usr/bin:/bin", "PCIKIT_JVM_DIRS", "");
  }

  List<Path> archives(String ext) throws IOException {
    try (Stream<Path> s = Files.list(cache.resolve("pcikit"))) {
      return s.filter(p -> p.toString().endsWith(ext)).toList();
    }
  }

  @Test
  void withOnlyJdk17ItMakesAnAppCdsArchiveOnceAndUsesIt() throws Exception {
    assumeTrue(JDK17 != null, "no JDK 17");
    Run first = launch(only17(), "--version");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("fixture --version on 17\n");
    assertThat(first.err()).contains("(JDK 17), making archive");
    assertThat(archives(".jsa")).hasSize(1);
    Run second = launch(only17(), "list", "-o", "json");
    assertThat(second.out()).isEqualTo("fixture list -o json on 17\n");
    assertThat(second.err()).contains("(JDK 17), archive " + archives(".jsa").get(0));
  }

  /**
   * The launcher execs the JVM, also on the first run that makes the archive: the command runs in
   * the process that was started, so a signal sent to it (kill, systemctl stop) reaches the JVM.
   */
  @Test
  void theCommandRunsInTheLaunchersOwnProcessOnFirstAndLaterRuns() throws Exception {
    assumeTrue(JDK17 != null, "no JDK 17");
    Path pidFile = tmp.resolve("pid");
    Map<String, String> env = new java.util.HashMap<>(only17());
    env.put("PCIKIT_JAVA_OPTS", "-Dfixture.pidfile=" + pidFile);
    for (String expectedSay : List.of("making archive", "archive ")) {
      long[] launched = new long[1];
      Run r = launch(env, p -> launched[0] = p.pid(), "--version");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.err()).contains(expectedSay);
      assertThat(Long.parseLong(Files.readString(pidFile))).isEqualTo(launched[0]);
    }
    assertThat(archives(".jsa")).hasSize(1);
  }

  @Test
  void withOnlyJdk25ItMakesAnAotCacheAndWithBothItPicksTheFasterJdk17() throws Exception {
    assumeTrue(JDK17 != null && JDK25 != null, "needs JDK 17 and JDK 25");
    // only 25 visible (its bin/ first on PATH, nothing scanned): AOT cache
    Map<String, String> only25 =
        Map.of("PATH", JDK25.resolve("bin") + ":/usr/bin:/bin", "PCIKIT_JVM_DIRS", "");
    Run first = launch(only25, "--version");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("fixture --version on 25\n");
    assertThat(archives(".aot")).hasSize(1);
    Run second = launch(only25, "--version");
    assertThat(second.out()).isEqualTo("fixture --version on 25\n");
    assertThat(second.err()).contains("(JDK 25), archive " + archives(".aot").get(0));
    // 25 first on PATH, 17 found in the scanned directory: 17 starts pcikit faster
    Map<String, String> both =
        Map.of(
            "PATH",
            JDK25.resolve("bin") + ":/usr/bin:/bin",
            "PCIKIT_JVM_DIRS",
            JDK17.getParent().toString());
    assertThat(launch(both, "--version").out()).isEqualTo("fixture --version on 17\n");
    // an explicit choice wins
    Map<String, String> explicit =
        Map.of("PCIKIT_JAVA", JDK25.resolve("bin/java").toString(), "PCIKIT_JVM_DIRS", "");
    assertThat(launch(explicit, "--version").out()).isEqualTo("fixture --version on 25\n");
  }

  @Test
  void aStaleTruncatedOrGarbageArchiveIsIgnoredNotFatal() throws Exception {
    assumeTrue(JDK17 != null, "no JDK 17");
    List<Map<String, String>> jdks = new ArrayList<>(List.of(only17()));
    if (JDK25 != null) {
      jdks.add(Map.of("PCIKIT_JAVA", JDK25.resolve("bin/java").toString()));
    }
    for (Map<String, String> env : jdks) {
      assertThat(launch(env, "--version").code()).isZero(); // makes the archive
      Path arc =
          Stream.concat(archives(".jsa").stream(), archives(".aot").stream())
              .filter(p -> launchUses(env, p))
              .findFirst()
              .orElseThrow();
      byte[] good = Files.readAllBytes(arc);
      // truncated, then garbage: the JVM refuses it and runs without
      Files.write(arc, java.util.Arrays.copyOf(good, 4096));
      Run truncated = launch(env, "show", "x");
      assertThat(truncated.code()).as(truncated.err()).isZero();
      assertThat(truncated.out()).startsWith("fixture show x on ");
      Files.writeString(arc, "not an archive\n");
      Run garbage = launch(env, "show", "x");
      assertThat(garbage.code()).as(garbage.err()).isZero();
      assertThat(garbage.out()).startsWith("fixture show x on ");
      assertThat(garbage.err()).doesNotContain("warning", "error");
      // stale: the jar was rebuilt (a different mtime): the archive is made again
      Files.setLastModifiedTime(
          jar,
          java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 86_400_000));
      Run stale = launch(env, "--version");
      assertThat(stale.code()).isZero();
      assertThat(stale.err()).contains("making archive " + arc);
      assertThat(Files.size(arc)).isGreaterThan(4096);
      assertThat(launch(env, "--version").err())
          .contains("archive " + arc)
          .doesNotContain("making");
    }
  }

  private boolean launchUses(Map<String, String> env, Path arc) {
    try {
      return launch(env, "--version").err().contains("archive " + arc);
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void withoutACacheDirectoryItRunsWithoutAnArchive() throws Exception {
    assumeTrue(JDK17 != null, "no JDK 17");
    Map<String, String> env = new java.util.HashMap<>(only17());
    env.put("XDG_CACHE_HOME", "");
    env.put("HOME", "");
    Run r = launch(env, "--version");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("fixture --version on 17\n");
    assertThat(r.err()).contains("no archive");
  }
}
