package dev.pcikit.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints a bash/zsh completion script generated from the command definitions. */
@Command(
    name = "completion",
    description = "Print a bash/zsh completion script: source <(pcikit completion)")
final class CompletionCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash("pcikit", root));
    spec.commandLine().getOut().flush();
  }
}
