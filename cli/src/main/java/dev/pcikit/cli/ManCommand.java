package dev.pcikit.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/** Writes AsciiDoc man pages generated from the command definitions. */
@Command(
    name = "man",
    description = "Write man pages (AsciiDoc, one per command) into DIR, generated from --help.")
final class ManCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "Output directory")
  Path dir;

  @Override
  public Integer call() throws IOException {
    File out = dir.toFile();
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IOException("cannot create " + dir);
    }
    ManPageGenerator.generateManPage(out, null, null, false, spec.root());
    spec.commandLine().getOut().println("man pages written to " + dir);
    return 0;
  }
}
