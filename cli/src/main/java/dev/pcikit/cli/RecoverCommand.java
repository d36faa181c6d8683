package dev.pcikit.cli;

import dev.pcikit.core.vfio.HostLock;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
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
    try (HostLock lock = HostLock.acquire(env.runDir(), env.lockTimeout())) {
      Optional<String> done = new VfioEngine(env).recover();
      out.println(done.orElse("nothing to recover"));
    }
    out.flush();
    return 0;
  }
}
