package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's Jetty is loaded only by {@code pcikit agent}: other commands, and help (which builds
 * every command's model, the agent's included), load no Jetty class, so their cold start does not
 * pay for the service. Checked in a fresh JVM with class-load logging.
 */
class AgentLazyLoadTest {
  @TempDir Path state;

  private String classesLoaded(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xlog:class+load=info");
    cmd.add("-Dpcikit.stateDir=" + state);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor())
        .as(out.length() > 2000 ? out.substring(out.length() - 2000) : out)
        .isIn(0, 10);
    return out;
  }

  @Test
  void otherCommandsAndHelpLoadNoJetty() throws Exception {
    for (String[] args :
        List.of(
            new String[] {"--host", "demo:x86-workstation", "list"},
            new String[] {"--help"},
            new String[] {"agent", "--help"})) {
      String log = classesLoaded(args);
      assertThat(log).as(String.join(" ", args)).contains("dev.pcikit.cli.Main");
      assertThat(log).as(String.join(" ", args)).doesNotContain("org.eclipse.jetty");
    }
  }
}
