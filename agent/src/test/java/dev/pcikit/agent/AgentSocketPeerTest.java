package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket peers as the kernel names them (SO_PEERCRED): a member of the socket's group who is not
 * root gets the read role, root gets admin; someone outside the group cannot connect at all (mode
 * 0660). Real processes of user nobody (runuser, curl); runs as root, as CI does.
 */
class AgentSocketPeerTest {
  @TempDir Path dir;

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** curl as user nobody (group nogroup): the HTTP status, or -1 when it could not connect. */
  static int curlAsNobody(Path socket, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                "runuser",
                "-u",
                "nobody",
                "--",
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--unix-socket",
                socket.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out.equals("000") || out.isEmpty() ? -1 : Integer.parseInt(out);
  }

  @Test
  void groupMembersReadRootWritesOthersCannotConnect() throws Exception {
    assumeTrue(root() && Files.isExecutable(Path.of("/usr/bin/curl")), "needs root and curl");
    Path open = Files.createDirectory(dir.resolve("run"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path socket = open.resolve("agent.sock");
    String bind = "{\"devices\":[\"0000:03:00.0\"],\"dryRun\":true}";
    try (DemoAgent a =
        DemoAgent.start(
            "demo:x86-workstation",
            dir,
            c ->
                new AgentConfig(
                    c.hostSpec(),
                    c.root(),
                    socket,
                    "nogroup",
                    null,
                    null,
                    null,
                    null,
                    null,
                    c.pciIds()))) {
      assertThat(curlAsNobody(socket, "http://localhost/v1/devices")).isEqualTo(200);
      assertThat(
              curlAsNobody(
                  socket,
                  "-H",
                  "Content-Type: application/json",
                  "-d",
                  bind,
                  "http://localhost/v1/bind"))
          .isEqualTo(403);
      assertThat(a.api.post("/v1/bind", bind).status()).isEqualTo(200); // root: admin
      List<String> audit = Files.readAllLines(a.agent.context().audit().file());
      assertThat(audit).anyMatch(l -> l.contains("\"who\":\"uid:root\""));
      assertThat(audit)
          .anyMatch(l -> l.contains("\"who\":\"uid:nobody\"") && l.contains("FORBIDDEN"));
    }
    try (DemoAgent a =
        DemoAgent.start(
            "demo:x86-workstation",
            dir,
            c ->
                new AgentConfig(
                    c.hostSpec(),
                    c.root(),
                    socket,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    c.pciIds()))) {
      // root:root 0660: nobody may not even connect
      assertThat(curlAsNobody(socket, "http://localhost/v1/devices")).isEqualTo(-1);
    }
  }
}
