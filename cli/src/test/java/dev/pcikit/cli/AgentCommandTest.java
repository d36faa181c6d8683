package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.agent.Agent;
import dev.pcikit.agent.AgentConfig;
import dev.pcikit.http.unix.UnixHttp;
import dev.pcikit.sim.DemoStateDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent answers with the documents the CLI prints, on the same demo host, also after writes.
 */
class AgentCommandTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  static String cli(String host, String... args) {
    String[] all = CliRun.prefixed(List.of("--host", host, "--pci-ids", "/dev/null"), args);
    CliRun.Run r = CliRun.run(all);
    assertThat(r.code()).as(List.of(all) + ": " + r.err()).isIn(0, 10);
    return r.out();
  }

  static Agent agent(String host, Path socket) throws Exception {
    return Agent.start(
        AgentConfig.simulated(host, socket).withPciIds(Path.of("/dev/null")), line -> {});
  }

  /** The GET routes and the CLI command each answers like. */
  static final Map<String, List<String>> READS =
      Map.of(
          "/v1/devices", List.of("list", "-o", "json"),
          "/v1/devices?s=03:00.0", List.of("list", "-s", "03:00.0", "-o", "json"),
          "/v1/devices?d=10de:", List.of("list", "-d", "10de:", "-o", "json"),
          "/v1/devices/0000:01:00.0", List.of("show", "0000:01:00.0", "-o", "json"),
          "/v1/groups", List.of("groups", "-o", "json"),
          "/v1/groups?s=01:", List.of("groups", "-s", "01:", "-o", "json"),
          "/v1/check", List.of("check", "-o", "json"),
          "/v1/check?dev=03:00.0", List.of("check", "03:00.0", "-o", "json"),
          "/v1/sriov", List.of("sriov", "status", "-o", "json"),
          "/v1/vfio", List.of("vfio", "status", "-o", "json"));

  @Test
  void everyReadIsWhatTheCliPrintsAlsoAfterACliWrite() throws Exception {
    String host = "demo:x86-workstation";
    Path socket = state.path().resolve("agent.sock");
    try (Agent agent = agent(host, socket)) {
      UnixHttp http = new UnixHttp(agent.socket());
      assertThat(Files.getPosixFilePermissions(socket))
          .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
      for (int round = 0; round < 2; round++) {
        for (Map.Entry<String, List<String>> e : READS.entrySet()) {
          UnixHttp.Answer a = http.get(e.getKey());
          assertThat(a.status()).as(e.getKey() + ": " + a.text()).isEqualTo(200);
          assertThat(a.contentType()).isEqualTo("application/json; charset=utf-8");
          assertThat(a.text())
              .as(e.getKey())
              .isEqualTo(cli(host, e.getValue().toArray(String[]::new)));
        }
        UnixHttp.Answer svg = http.get("/v1/pictures/host.svg");
        assertThat(svg.contentType()).startsWith("image/svg+xml");
        assertThat(svg.text()).isEqualTo(cli(host, "draw", "host"));
        // a write by the CLI (another invocation, under the host lock) shows in the next answers
        if (round == 0) {
          cli(host, "vfio", "bind", "0000:03:00.0", "--persist");
          assertThat(http.get("/v1/vfio").text()).contains("0000:03:00.0");
        }
      }
      assertThat(http.get("/v1/devices?s=03:00.0").text()).contains("\"vfio-pci\"");
    }
    assertThat(socket).doesNotExist();
  }

  @Test
  void plansInEveryRenderingAndThePlanPicture() throws Exception {
    String host = "demo:power9";
    Path spec =
        Path.of(System.getProperty("pcikit.projectDir"), "docs/examples/pseries-guest.yaml");
    byte[] body = Files.readAllBytes(spec);
    try (Agent agent = agent(host, state.path().resolve("agent.sock"))) {
      UnixHttp http = new UnixHttp(agent.socket());
      for (String format : List.of("summary", "libvirt", "fragments", "qemu", "json")) {
        UnixHttp.Answer a =
            http.send(
                "POST",
                "/v1/plans?format=" + format,
                Map.of("Content-Type", "application/yaml"),
                body);
        assertThat(a.status()).as(format + ": " + a.text()).isEqualTo(200);
        assertThat(a.text()).as(format).isEqualTo(cli(host, "plan", spec.toString(), "-o", format));
      }
      UnixHttp.Answer pic =
          http.send(
              "POST", "/v1/pictures/plan.svg", Map.of("Content-Type", "application/yaml"), body);
      assertThat(pic.text()).isEqualTo(cli(host, "draw", "plan", spec.toString()));

      // unknown keys in a guest spec are reported by name; a wrong media type is 415
      UnixHttp.Answer unknown =
          http.send(
              "POST",
              "/v1/plans",
              Map.of("Content-Type", "application/yaml"),
              (new String(body, StandardCharsets.UTF_8) + "colour: blue\n")
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.text()).contains("colour");
      assertThat(http.send("POST", "/v1/plans", Map.of("Content-Type", "image/png"), body).status())
          .isEqualTo(415);
    }
  }
}
