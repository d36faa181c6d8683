package dev.pcikit.cli;

import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pcikit recover}: finish or undo an operation interrupted by a crash or power loss. */
@Command(
    mixinStandardHelpOptions = true,
    name = "recover",
    description =
        "Finish or undo an operation that a crash, kill -9 or power loss interrupted (every write"
            + " command also does this first).")
final class RecoverCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin VfioOptions vfio;

  @Override
  public Integer call() throws IOException {
    GlobalOptions global = GlobalOptions.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    VfioEnvironment env = VfioHost.environment(global, vfio.stateDir, vfio.lockTimeout);
    // locked() recovers first and reports on stderr; what is left to say goes to stdout
    java.io.StringWriter said = new java.io.StringWriter();
    VfioHost.locked(global, env, new PrintWriter(said), e -> null);
    String s = said.toString().strip();
    out.println(s.isEmpty() ? "nothing to recover" : s.replaceFirst("^pcikit: recovered: ", ""));
    out.flush();
    return 0;
  }
}
