package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.agent.Agent;
import dev.pcikit.agent.AgentConfig;
import dev.pcikit.agent.UnixHttp;
import dev.pcikit.agent.web.WebFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
  private String before;

  @BeforeEach
  void stateDir() {
    before = System.getProperty("pcikit.stateDir");
    System.setProperty("pcikit.stateDir", state.resolve("state").toString());
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty("pcikit.stateDir");
    } else {
      System.setProperty("pcikit.stateDir", before);
    }
  }

  private Agent start(Path pciIds) throws Exception {
    return start(
        pciIds, AgentConfig.simulated("demo:x86-workstation", state.resolve("agent.sock")));
  }

  private Agent start(Path pciIds, AgentConfig config) throws Exception {
    return Agent.start(config.withPciIds(pciIds), line -> {});
  }

  private static String newToken() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void servesThePageFilesWithTheirTypesAndHeaders() throws Exception {
    try (Agent agent = start(Path.of("/dev/null"))) {
      UnixHttp http = new UnixHttp(agent.socket());
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
    try (Agent agent = start(Path.of("/dev/null"))) {
      UnixHttp http = new UnixHttp(agent.socket());
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
    AgentConfig config =
        AgentConfig.simulated("demo:x86-workstation", state.resolve("agent.sock"))
            .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .withTokens(tokens);
    try (Agent agent = start(ids, config)) {
      List<String> cmd = new ArrayList<>();
      cmd.add("node");
      cmd.add("page-test.mjs");
      cmd.add("--url");
      cmd.add("http://127.0.0.1:" + agent.port() + "/");
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
      assertThat(p.exitValue()).as("page-test.mjs exit code:\n" + out).isZero();
      assertThat(out).contains("page-test: all checks passed");
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
