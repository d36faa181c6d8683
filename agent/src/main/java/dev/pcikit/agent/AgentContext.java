package dev.pcikit.agent;

/**
 * What route groups share: the host, the documents, and the agent's configuration. One per agent.
 */
public final class AgentContext {
  private final AgentConfig config;
  private final HostView host;
  private final DocumentSource documents;

  AgentContext(AgentConfig config, HostView host, DocumentSource documents) {
    this.config = config;
    this.host = host;
    this.documents = documents;
  }

  public AgentConfig config() {
    return config;
  }

  public HostView host() {
    return host;
  }

  public DocumentSource documents() {
    return documents;
  }
}
