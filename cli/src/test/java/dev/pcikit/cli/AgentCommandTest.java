package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.agent.Agent;
import dev.pcikit.agent.AgentConfig;
import dev.pcikit.agent.UnixHttp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent answers with the documents the CLI prints, on the same demo host. */
class AgentCommandTest {
  @TempDir Path state;
  private String before;

  @BeforeEach
  void stateDir() {
    before = System.getProperty("pcikit.stateDir");
    System.setProperty("pcikit.stateDir", state.toString());
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty("pcikit.stateDir");
    } else {
      System.setProperty("pcikit.stateDir", before);
    }
  }

  static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void devicesAreWhatListPrintsAndFollowTheCliWrites() throws Exception {
    GlobalOptions global = new GlobalOptions();
    global.host = "demo:x86-workstation";
    global.pciIds = Path.of("/dev/null");
    Path socket = state.resolve("agent.sock");
    try (Agent agent =
        Agent.start(
            AgentConfig.simulated("demo:x86-workstation", socket),
            new AgentDocuments(global),
            line -> {})) {
      UnixHttp http = new UnixHttp(agent.socket());
      UnixHttp.Answer a = http.get("/v1/devices");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.contentType()).isEqualTo("application/json; charset=utf-8");
      String[] base = {"--host", "demo:x86-workstation", "--pci-ids", "/dev/null"};
      assertThat(a.text()).isEqualTo(cli(concat(base, "list", "-o", "json")));
      assertThat(Files.getPosixFilePermissions(socket))
          .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));

      // a write by the CLI (another invocation, under the host lock) shows in the next answer
      cli(concat(base, "vfio", "bind", "0000:03:00.0"));
      UnixHttp.Answer after = http.get("/v1/devices?s=03:00.0");
      assertThat(after.text())
          .isEqualTo(cli(concat(base, "list", "-s", "03:00.0", "-o", "json")))
          .contains("\"vfio-pci\"");

      UnixHttp.Answer bad = http.get("/v1/devices?s=zz:zz:zz:zz");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.contentType()).startsWith("application/problem+json");
      assertThat(bad.text()).contains("\"failure\" : \"INVALID_ARGUMENT\"");
    }
    assertThat(socket).doesNotExist();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
