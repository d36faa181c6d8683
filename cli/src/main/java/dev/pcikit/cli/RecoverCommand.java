package dev.pcikit.cli;

import dev.pcikit.core.host.LockedHost;
import dev.pcikit.core.host.Recovery;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.StatusJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
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
  @Mixin WriteOptions write;

  @picocli.CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() throws IOException {
    GlobalOptions global = GlobalOptions.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    if (write.dryRun) {
      List<String> lines = Recovery.dryRun(LockedWork.host(global, vfio).vfioEnvironment());
      out.println(lines.isEmpty() ? "# nothing to recover" : String.join("\n", lines));
      out.flush();
      return 0;
    }
    // taking the lock recovers; what it did goes to stdout
    java.util.List<Recovery.Recovered> done =
        LockedWork.run(global, vfio, new PrintWriter(Writer.nullWriter()), LockedHost::recovered);
    if (output.format != OutputFormat.table) {
      Documents.write(StatusJson.recovered(done), output.format.document(), out);
      return 0;
    }
    if (done.isEmpty()) {
      out.println("nothing to recover");
    }
    done.forEach(r -> out.println(r.summary()));
    out.flush();
    return 0;
  }
}
