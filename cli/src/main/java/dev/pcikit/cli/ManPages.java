package dev.pcikit.cli;

import java.io.File;
import java.io.IOException;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the man pages (AsciiDoc) of the whole command tree; run by the build (exec-maven-plugin)
 * with picocli-codegen on the class path, never at run time (picocli-codegen is not in the jar).
 * Needed because {@link Main} adds its subcommands in code rather than in its annotation, which is
 * all that ManPageGenerator's own main() would see.
 */
public final class ManPages {
  private ManPages() {}

  public static void main(String[] args) throws IOException {
    int rc =
        ManPageGenerator.generateManPage(
            new File(args[0]), null, new boolean[0], true, Main.commandLine().getCommandSpec());
    if (rc != 0) {
      throw new IOException("man page generation failed: " + rc);
    }
  }
}
