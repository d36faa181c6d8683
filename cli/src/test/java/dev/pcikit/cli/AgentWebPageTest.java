package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.agent.web.WebFiles;
import dev.pcikit.http.unix.UnixHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's web page (docs/agent.md, "Web page"): its files as the agent serves them, and the
 * page itself in Debian's headless Chromium driven by agent/src/test/web/page-test.mjs
 * (playwright-core, installed by the build's {@code npm ci}): it loads without console errors,
 * shows every device the API lists, filters and sorts, shows host text as text, and a bind through
 * the API appears without a reload. {@code -Dpcikit.regenerate=true} also writes
 * docs/pictures/agent-page*.png.
 */
class AgentWebPageTest {
  static final Path WEB_TEST = Path.of("../agent/src/test/web");
  static final Path WEB_SOURCES = Path.of("../agent/src/main/resources/dev/pcikit/agent/web");
  static final Path DOCS = Path.of("../docs/pictures");
  static final String HOSTILE =
      "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>I211 & <b>co</b>";

  @TempDir Path state;

  /**
   * {@code pcikit --host demo:x86-workstation --pci-ids IDS agent} in a JVM of its own (the command
   * as a user runs it), its state in the test's directory; with tokens, also on TCP 127.0.0.1 with
   * a port the kernel picks. Stopped with SIGTERM (the agent's orderly stop) on close.
   */
  static final class AgentProcess implements AutoCloseable {
    final Process process;
    final Path socket;
    final int port;
    final Path log;

    AgentProcess(Path dir, Path pciIds, Path tokens) throws Exception {
      socket = dir.resolve("agent.sock");
      log = dir.resolve("agent.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  java,
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-Dpcikit.stateDir=" + dir.resolve("state"),
                  Main.class.getName(),
                  "--host",
                  "demo:x86-workstation",
                  "--pci-ids",
                  pciIds.toString(),
                  "agent",
                  "--socket",
                  socket.toString()));
      if (tokens != null) {
        cmd.addAll(List.of("--listen", "127.0.0.1:0", "--tokens", tokens.toString()));
      }
      process =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      port = awaitListening(tokens != null);
    }

    /** Waits for the agent's "listening on" lines (socket, and TCP when asked); the TCP port. */
    private int awaitListening(boolean tcp) throws Exception {
      Pattern http = Pattern.compile("listening on https?://127\\.0\\.0\\.1:(\\d+)");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && process.isAlive()) {
        String text = read(log);
        Matcher m = http.matcher(text);
        if (text.contains("listening on " + socket) && (!tcp || m.find())) {
          return tcp ? Integer.parseInt(m.group(1)) : -1;
        }
        Thread.sleep(50);
      }
      throw new AssertionError("pcikit agent did not start:\n" + read(log));
    }

    UnixHttp http() {
      return new UnixHttp(socket);
    }

    @Override
    public void close() {
      process.destroy(); // SIGTERM
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String newToken() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void servesThePageFilesWithTheirTypesAndHeaders() throws Exception {
    try (AgentProcess agent = new AgentProcess(state, Path.of("/dev/null"), null)) {
      UnixHttp http = agent.http();
      Map<String, String> types =
          Map.of(
              "/", "text/html; charset=utf-8",
              "/app.js", "text/javascript; charset=utf-8",
              "/app.css", "text/css; charset=utf-8",
              "/favicon.svg", "image/svg+xml; charset=utf-8");
      for (var e : types.entrySet()) {
        UnixHttp.Answer a = http.get(e.getKey());
        assertThat(a.status()).as(e.getKey()).isEqualTo(200);
        assertThat(a.contentType()).as(e.getKey()).isEqualTo(e.getValue());
        assertThat(a.headers().get("content-security-policy"))
            .as(e.getKey())
            .startsWith("default-src 'self';")
            .doesNotContain("unsafe");
        assertThat(a.headers()).containsEntry("x-content-type-options", "nosniff");
        assertThat(a.headers()).containsEntry("cache-control", "no-cache");
        String etag = a.headers().get("etag");
        assertThat(etag).matches("\"[0-9a-f]{32}\"");

        // revalidation: unchanged -> 304 without a body; another tag -> the file again
        UnixHttp.Answer same = http.send("GET", e.getKey(), Map.of("If-None-Match", etag), null);
        assertThat(same.status()).as(e.getKey()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        UnixHttp.Answer weak =
            http.send("GET", e.getKey(), Map.of("If-None-Match", "\"x\", W/" + etag), null);
        assertThat(weak.status()).isEqualTo(304);
        UnixHttp.Answer other =
            http.send("GET", e.getKey(), Map.of("If-None-Match", "\"0123\""), null);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(a.body());
      }
      String html = http.get("/").text();
      assertThat(html).contains("<script src=\"app.js\" defer>").doesNotContain("<style");
      // no asset from elsewhere: the page works offline
      assertThat(html + http.get("/app.js").text() + http.get("/app.css").text())
          .doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/")
          .doesNotContain("@import")
          .doesNotContain("innerHTML")
          .doesNotContain("outerHTML")
          .doesNotContain("insertAdjacentHTML")
          .doesNotContain("document.write")
          .doesNotContain("eval(");
    }
  }

  @Test
  void everyFileOfTheWebDirectoryIsServedAndNothingElse() throws Exception {
    Set<String> onDisk = new TreeSet<>();
    try (Stream<Path> files = Files.list(WEB_SOURCES)) {
      files.forEach(f -> onDisk.add(f.getFileName().toString()));
    }
    Set<String> served = new TreeSet<>();
    WebFiles.load().all().forEach(f -> served.add(f.resource()));
    assertThat(served).isEqualTo(onDisk);
  }

  @Test
  void nothingButThePageFilesIsServed() throws Exception {
    try (AgentProcess agent = new AgentProcess(state, Path.of("/dev/null"), null)) {
      UnixHttp http = agent.http();
      // no directory listing, no other class-path resource, no file-system path
      for (String path :
          List.of(
              "/web/",
              "/index.html/",
              "/dev/pcikit/agent/web/app.js",
              "/web/app.js",
              "/app.js/",
              "/openapi.json",
              "/META-INF/MANIFEST.MF",
              "/%2e%2e/app.js",
              "/..%2fapp.js",
              "/..%5capp.js",
              "/app.js%00",
              "/../../etc/passwd",
              "/%2e%2e/%2e%2e/etc/passwd",
              "/app.js;.css",
              "//app.js")) {
        UnixHttp.Answer a = http.get(path);
        assertThat(a.status()).as(path).isIn(400, 404);
        assertThat(a.contentType()).as(path).startsWith("application/problem+json");
        assertThat(a.text()).as(path).doesNotContain("use strict").doesNotContain("root:");
      }
      UnixHttp.Answer post = http.post("/", "{}");
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.headers()).containsEntry("allow", "GET, HEAD");
      UnixHttp.Answer head = http.send("HEAD", "/app.css", Map.of(), null);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.contentType()).isEqualTo("text/css; charset=utf-8");
      assertThat(head.headers()).containsKey("etag");
      assertThat(head.body()).isEmpty();
    }
  }

  /** Debian's pci.ids subset of the demo hosts, the I211's name replaced by markup. */
  private Path hostileNames() throws Exception {
    Path ids = Path.of(AgentWebPageTest.class.getResource("/demo-pci.ids").toURI());
    String text = Files.readString(ids, StandardCharsets.UTF_8);
    String hostile = text.replace("\t1539  I211 Gigabit Network Connection", "\t1539  " + HOSTILE);
    assertThat(hostile).isNotEqualTo(text);
    Path out = state.resolve("hostile-pci.ids");
    Files.writeString(out, hostile, StandardCharsets.UTF_8);
    return out;
  }

  @Test
  @DisabledIfSystemProperty(named = "pcikit.web.skip", matches = "true")
  void pageInHeadlessChromium() throws Exception {
    boolean regenerate = Boolean.getBoolean("pcikit.regenerate");
    // pictures for the docs get the real names; the test run gets markup in a device name
    Path ids =
        regenerate
            ? Path.of(AgentWebPageTest.class.getResource("/demo-pci.ids").toURI())
            : hostileNames();
    assertThat(WEB_TEST.resolve("node_modules/playwright-core"))
        .as("playwright-core is installed by the build's npm ci (cli/pom.xml, web-test-deps)")
        .isDirectory();
    // the TCP listener on loopback (Chromium speaks HTTP over TCP only), with a read token for
    // the page and an admin token for the bind the script makes through the API
    String read = newToken();
    String admin = newToken();
    Path tokens = state.resolve("tokens");
    Files.writeString(tokens, "page read " + read + "\nops admin " + admin + "\n");
    Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
    try (AgentProcess agent = new AgentProcess(state, ids, tokens)) {
      List<String> cmd = new ArrayList<>();
      cmd.add("node");
      cmd.add("page-test.mjs");
      cmd.add("--url");
      cmd.add("http://127.0.0.1:" + agent.port + "/");
      cmd.add("--token");
      cmd.add(read);
      cmd.add("--admin-token");
      cmd.add(admin);
      cmd.add("--bind");
      cmd.add("0000:03:00.0");
      if (regenerate) {
        cmd.add("--screenshots");
        cmd.add(DOCS.toAbsolutePath().normalize().toString());
      } else {
        cmd.add("--expect-text-in");
        cmd.add("0000:03:00.0=" + HOSTILE);
      }
      Path log = state.resolve("page-test.log");
      Process p =
          new ProcessBuilder(cmd)
              .directory(WEB_TEST.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean done = p.waitFor(180, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String out = read(log);
      assertThat(done).as("page-test.mjs finished within 180 s:\n" + out).isTrue();
      assertThat(p.exitValue())
          .as("page-test.mjs exit code:\n" + out + "\nagent log:\n" + read(agent.log))
          .isZero();
      assertThat(out).contains("page-test: all checks passed");
      assertThat(agent.process.isAlive()).as("the agent still serves").isTrue();
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
