package dev.pcikit.agent;

import java.nio.file.Path;

/**
 * An agent in its own JVM for process-level tests (kill -9): {@code AgentMain HOST SOCKET}, the
 * state directory from {@code -Dpcikit.stateDir}. Prints the agent's lines on stderr.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    java.util.function.Consumer<String> log =
        line -> {
          System.err.println("pcikit agent: " + line);
          System.err.flush();
        };
    Agent a = Agent.start(AgentConfig.simulated(args[0], Path.of(args[1])), log);
    a.serveUntilStopped(log);
  }
}
