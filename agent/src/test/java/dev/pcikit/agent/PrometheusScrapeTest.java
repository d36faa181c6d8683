package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pcikit.http.unix.UnixHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A real Prometheus server (Debian's package, scripts/install-deps.sh) scrapes the agent on
 * loopback every second; after a bind through the API, PromQL answers what the bind did.
 */
class PrometheusScrapeTest {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void promqlSeesABindDoneThroughTheApi() throws Exception {
    if (!Files.isExecutable(PROMETHEUS)) {
      fail(
          PROMETHEUS + " is missing: run scripts/install-deps.sh test (Debian package prometheus)");
    }
    Path agentDir = Files.createDirectories(dir.resolve("agent"));
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", agentDir);
        TcpBridge bridge = new TcpBridge(a.agent.socket())) {
      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          "global:\n"
              + "  scrape_interval: 1s\n"
              + "  scrape_timeout: 1s\n"
              + "scrape_configs:\n"
              + "  - job_name: pcikit\n"
              + "    static_configs:\n"
              + "      - targets: ['127.0.0.1:"
              + bridge.port()
              + "']\n");
      Process p =
          new ProcessBuilder(
                  PROMETHEUS.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=warn")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        String base = "http://127.0.0.1:" + port;
        // scraped once, before the bind: nothing bound yet
        assertThat(await(base, "pcikit_vfio_bound_devices", "0")).isEqualTo("0");

        UnixHttp.Answer bind =
            a.api.finish(a.api.post("/v1/bind", "{\"devices\":[\"0000:03:00.0\"]}"));
        assertThat(bind.status()).as(bind.text()).isEqualTo(200);

        assertThat(await(base, "pcikit_vfio_bound_devices", "1")).isEqualTo("1");
        assertThat(await(base, "sum(pcikit_devices{driver=\"vfio-pci\",state=\"vfio\"})", "1"))
            .isEqualTo("1");
        assertThat(await(base, "pcikit_operation_duration_seconds_count{operation=\"bind\"}", "1"))
            .isEqualTo("1");
        assertThat(await(base, "pcikit_iommu_groups{viability=\"vfio-viable\"}", "1"))
            .isEqualTo("1");
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage()
                + "\nprometheus log:\n"
                + Files.readString(dir.resolve("prometheus.log")),
            e);
      } finally {
        p.destroy();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /**
   * Asks {@code query} (an instant query over the HTTP API) until its one sample has the value
   * {@code want} or {@link #WAIT} passes; returns the last value seen ("none" for no sample).
   */
  private String await(String base, String query, String want) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "none";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            base
                                + "/api/v1/query?query="
                                + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          JsonNode doc = Json.read(r.body().getBytes(StandardCharsets.UTF_8));
          assertThat(doc.get("status").asString()).isEqualTo("success");
          JsonNode result = doc.get("data").get("result");
          if (result.size() == 1) {
            last = result.get(0).get("value").get(1).asString();
            if (last.equals(want)) {
              return last;
            }
          }
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    return last;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }
}
