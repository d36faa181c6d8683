package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.sim.DemoStateDir;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The command tree a run builds holds only the subcommand the arguments name (a cold start builds
 * picocli's model of one command, not fourteen): whatever it holds, the output, the errors and the
 * exit code are those of the whole tree.
 */
class MainTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  static Run execute(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static final List<List<String>> ARGS =
      List.of(
          List.of(),
          List.of("--help"),
          List.of("-h"),
          List.of("--version"),
          List.of("-V"),
          List.of("help"),
          List.of("help", "list"),
          List.of("list", "--help"),
          List.of("vfio"),
          List.of("vfio", "bind", "--help"),
          List.of("lst"),
          List.of("--root", "/nonexistent", "lst"),
          List.of("--root", "/nonexistent", "list"),
          List.of("--root=/nonexistent", "groups", "-o", "json"),
          // picocli refuses a subcommand's name as an option's value
          List.of("--root", "list", "groups"),
          List.of("--root", "lst", "groups"),
          List.of("--host", "demo:x86-workstation", "list", "-o", "json"),
          List.of(
              "--host", "demo:x86-workstation", "--pci-ids", "/dev/null", "show", "0000:01:00.0"),
          List.of("--no-color", "--host", "demo:x86-workstation", "snapshot", "demos"),
          List.of("--version", "list"),
          List.of("list", "--version"),
          List.of("--root"),
          List.of("--", "list"),
          List.of("completion"));

  @Test
  void theTreeForTheArgumentsAnswersLikeTheWholeTree() {
    for (List<String> a : ARGS) {
      String[] args = a.toArray(String[]::new);
      Run whole = execute(Main.commandLine(), args);
      Run lazy = execute(Main.commandLine(args), args);
      assertThat(lazy).as(String.join(" ", a)).isEqualTo(whole);
    }
  }

  @Test
  void onlyTheNamedSubcommandIsBuilt() {
    assertThat(Main.commandLine("--root", "/x", "list", "-o", "json").getSubcommands().keySet())
        .containsExactly("list");
    assertThat(Main.commandLine("--root", "lst", "groups").getSubcommands().keySet())
        .containsExactly("groups");
    assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
    assertThat(Main.commandLine("--help").getSubcommands().keySet())
        .containsExactlyElementsOf(Main.SUBCOMMANDS);
    assertThat(Main.commandLine("help", "list").getSubcommands().keySet())
        .containsExactlyElementsOf(Main.SUBCOMMANDS);
    assertThat(Main.commandLine("@args.txt").getSubcommands().keySet())
        .containsExactlyElementsOf(Main.SUBCOMMANDS);
    assertThat(Main.commandLine("lsit").getSubcommands().keySet())
        .containsExactlyElementsOf(Main.SUBCOMMANDS);
  }

  @Test
  void theVersionFastPathPrintsWhatPicocliPrints() {
    for (String v : List.of("--version", "-V")) {
      Run picocli = execute(Main.commandLine(), v);
      Run fast = CliRun.run(v);
      assertThat(fast).isEqualTo(picocli);
      assertThat(fast.out()).startsWith("pcikit ");
    }
  }
}
