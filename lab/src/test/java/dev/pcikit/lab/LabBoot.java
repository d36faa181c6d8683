package dev.pcikit.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one lab script (build + one QEMU boot) and reads the guest console it leaves in
 * lab/target/lab-logs/NAME.log. The script's own output goes to NAME.run.txt next to it.
 */
public final class LabBoot {
  private LabBoot() {}

  /** The finished boot: the script's exit status and the console. */
  public record Result(int exitCode, LabConsole console, Path runLog, double wallSeconds) {}

  public static Result run(String script, String name, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    return run(script, name, timeoutSeconds, java.util.Map.of(), args);
  }

  public static Result run(
      String script,
      String name,
      long timeoutSeconds,
      java.util.Map<String, String> env,
      String... args)
      throws IOException, InterruptedException {
    Path logs = LabEnvironment.logsDir();
    Files.createDirectories(logs);
    Path console = logs.resolve(name + ".log");
    Files.deleteIfExists(console);
    Path runLog = logs.resolve(name + ".run.txt");
    List<String> cmd = new ArrayList<>();
    cmd.add(LabEnvironment.labDir().resolve("scripts").resolve(script).toString());
    cmd.add("run");
    cmd.addAll(List.of(args));
    cmd.add(name);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(runLog.toFile());
    pb.environment().put("LAB_TIMEOUT", Long.toString(timeoutSeconds));
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds + 300, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    LabConsole c =
        Files.exists(console) ? LabConsole.read(console) : LabConsole.of(console, List.of());
    return new Result(p.exitValue(), c, runLog, wall);
  }

  /** What a failure report shows: the scenario, the last console lines and the full log. */
  public static String context(LabConsole console, String scenario, Path runLog) {
    StringBuilder sb = new StringBuilder();
    sb.append("lab scenario '").append(scenario).append("'");
    List<String> tail =
        console.scenario(scenario).map(s -> s.lastLines(25)).orElse(console.lastLines(25));
    sb.append("\n--- last console lines")
        .append(console.scenario(scenario).isPresent() ? " of the scenario" : "")
        .append(" ---\n");
    tail.forEach(l -> sb.append("  | ").append(l).append('\n'));
    sb.append("--- full console log: ").append(console.log());
    if (runLog != null) {
      sb.append("\n--- build/boot output: ").append(runLog);
    }
    return sb.append('\n').toString();
  }
}
