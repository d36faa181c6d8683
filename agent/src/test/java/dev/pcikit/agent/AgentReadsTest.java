package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.http.unix.UnixHttp;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of the OpenAPI document, called on a demo host, each answer checked against the
 * document (cli AgentCommandTest compares the documents with the CLI's output).
 */
class AgentReadsTest {
  @TempDir static Path dir;
  static DemoAgent a;

  @BeforeAll
  static void start() throws Exception {
    a = DemoAgent.start("demo:x86-workstation", dir);
  }

  @AfterAll
  static void stop() throws Exception {
    a.close();
  }

  static final String GUEST = "{\"name\":\"g\",\"machine\":\"q35\",\"devices\":[\"0000:03:00.0\"]}";

  @Test
  void everyDocumentedOperationAnswersAsDocumented() throws Exception {
    Map<String, Integer> gets =
        Map.ofEntries(
            Map.entry("/v1/devices", 200),
            Map.entry("/v1/devices?s=03:00.0&d=8086:", 200),
            Map.entry("/v1/devices/0000:03:00.0", 200),
            Map.entry("/v1/devices/03:00.0", 200),
            Map.entry("/v1/devices/0000:7f:00.0", 404),
            Map.entry("/v1/devices/nonsense", 400),
            Map.entry("/v1/groups", 200),
            Map.entry("/v1/groups?s=01:", 200),
            Map.entry("/v1/check", 200),
            Map.entry("/v1/check?dev=03:00.0", 200),
            Map.entry("/v1/check?dev=7f:00.0", 404),
            Map.entry("/v1/sriov", 200),
            Map.entry("/v1/vfio", 200),
            Map.entry("/v1/pictures/host.svg", 200),
            Map.entry("/v1/openapi.json", 200),
            Map.entry("/v1/events?since=0", 200),
            Map.entry("/metrics", 200),
            Map.entry("/v1/operations/0123456789abcdef", 404));
    for (Map.Entry<String, Integer> e : gets.entrySet()) {
      UnixHttp.Answer r = a.api.get(e.getKey());
      assertThat(r.status()).as(e.getKey() + ": " + r.text()).isEqualTo(e.getValue());
    }
    // the stream never ends when it is accepted: a malformed resume point is answered at once
    assertThat(a.api.withHeader("Last-Event-ID", "x").get("/v1/events/stream").status())
        .isEqualTo(400);
    for (String format : new String[] {"summary", "libvirt", "fragments", "qemu", "json"}) {
      UnixHttp.Answer r = a.api.post("/v1/plans?format=" + format, GUEST);
      assertThat(r.status()).as(format + ": " + r.text()).isEqualTo(200);
    }
    assertThat(a.api.post("/v1/plans?format=pdf", GUEST).status()).isEqualTo(400);
    assertThat(
            a.api
                .post("/v1/plans", "{\"name\":\"g\",\"machine\":\"q35\",\"devices\":[],\"x\":1}")
                .text())
        .contains("x");
    assertThat(
            a.api
                .send(
                    "POST",
                    "/v1/plans",
                    "application/yaml",
                    "name: g\nmachine: q35\ndevices: [0000:03:00.0]\n")
                .status())
        .isEqualTo(200);
    assertThat(a.api.post("/v1/pictures/plan.svg", GUEST).status()).isEqualTo(200);
    for (String w :
        new String[] {
          "/v1/bind",
          "/v1/release",
          "/v1/sriov/0000:03:00.0/enable",
          "/v1/sriov/0000:03:00.0/disable",
          "/v1/recover"
        }) {
      String body =
          w.endsWith("enable")
              ? "{\"vfs\":1,\"dryRun\":true}"
              : w.endsWith("bind") || w.endsWith("release")
                  ? "{\"devices\":[\"0000:03:00.0\"],\"dryRun\":true}"
                  : "{\"dryRun\":true}";
      UnixHttp.Answer r = a.api.post(w, body);
      assertThat(r.status()).as(w + ": " + r.text()).isLessThan(500);
    }
    // every path and method of the document was called and its answer checked
    Set<String> documented = new TreeSet<>();
    OpenApiCheck.API
        .get("paths")
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .propertyNames()
                    .forEach(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
    Set<String> called = new TreeSet<>();
    OpenApiCheck.CHECKED.forEach(c -> called.add(c.substring(0, c.lastIndexOf(' '))));
    assertThat(called).containsAll(documented);
  }

  @Test
  void answersAreCachedUntilTheHostChanges() throws Exception {
    UnixHttp.Answer first = a.api.get("/v1/devices?s=03:00.0");
    UnixHttp.Answer gz = a.api.withHeader("Accept-Encoding", "gzip").get("/v1/devices?s=03:00.0");
    assertThat(gz.headers().get("content-encoding")).isEqualTo("gzip");
    assertThat(
            new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))
                .readAllBytes())
        .isEqualTo(first.body());
    assertThat(a.api.post("/v1/bind", "{\"devices\":[\"0000:03:00.0\"]}").status()).isEqualTo(200);
    UnixHttp.Answer after = a.api.get("/v1/devices?s=03:00.0");
    assertThat(after.text()).isNotEqualTo(first.text()).contains("vfio-pci");
    assertThat(a.api.post("/v1/release", "{\"devices\":[\"0000:03:00.0\"]}").status())
        .isEqualTo(200);
    assertThat(a.api.get("/v1/devices?s=03:00.0").text()).isEqualTo(first.text());
  }
}
