package dev.pcikit.cli;

import dev.pcikit.agent.Agent;
import dev.pcikit.agent.AgentConfig;
import java.io.PrintWriter;

/** Starts the agent of {@code pcikit agent} and serves until the JVM is asked to stop. */
final class AgentRunner {
  private AgentRunner() {}

  static int run(AgentCommand c, GlobalOptions global, PrintWriter err) throws Exception {
    AgentConfig config =
        new AgentConfig(
            global.hostSpec().orElse(null),
            global.root,
            c.socket,
            c.socketGroup,
            c.listen == null ? null : AgentCommand.address(c.listen),
            c.tlsCert,
            c.tlsKey,
            c.tokens,
            c.audit,
            global.pciIds);
    Agent agent =
        Agent.start(
            config,
            line -> {
              err.println("pcikit agent: " + line);
              err.flush();
            });
    agent.serveUntilStopped(
        line -> {
          err.println("pcikit agent: " + line);
          err.flush();
        });
    return 0;
  }
}
