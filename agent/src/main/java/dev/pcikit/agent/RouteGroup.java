package dev.pcikit.agent;

import java.util.List;

/**
 * A set of routes that belong together (devices, writes, events, metrics, the web page). Each group
 * is a small class listed once in {@link RouteGroups}; a group gets the shared {@link AgentContext}
 * and returns its routes.
 */
public interface RouteGroup {
  List<Route> routes(AgentContext context);
}
