package dev.pcikit.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Placeholder; implemented in the inventory work. */
@Command(name = "show", description = "TODO")
final class ShowCommand implements Runnable {
  @Mixin GlobalOptions global;

  @Override
  public void run() {}
}
