package dev.pcikit.cli;

/**
 * The main class of the jar {@link LauncherTest} runs bin/pcikit on: answers --version and the
 * launcher's hidden training command, with nothing but the JDK (the test needs no packaged pcikit).
 */
public final class LauncherFixtureMain {
  private LauncherFixtureMain() {}

  public static void main(String[] args) throws java.io.IOException {
    String pidFile = System.getProperty("fixture.pidfile");
    if (pidFile != null && !(args.length == 1 && args[0].equals("cds-training"))) {
      // which process runs the command: the launcher's own (it exec'd the JVM) or a child
      java.nio.file.Files.writeString(
          java.nio.file.Path.of(pidFile), Long.toString(ProcessHandle.current().pid()));
    }
    if (args.length == 1 && args[0].equals("cds-training")) {
      System.out.println(String.join(",", java.util.List.of("a", "b")));
      return;
    }
    System.out.println("fixture " + String.join(" ", args) + " on " + Runtime.version().feature());
  }
}
