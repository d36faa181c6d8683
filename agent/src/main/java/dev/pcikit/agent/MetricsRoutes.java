package dev.pcikit.agent;

import java.util.List;

/** {@code GET /metrics}: the Prometheus text format ({@link AgentMetrics}). */
final class MetricsRoutes implements RouteGroup {
  @Override
  public List<Route> routes(AgentContext ctx) {
    return List.of(
        new Route("GET", "/metrics", Access.READ, call -> ctx.watch().metrics().scrape()));
  }
}
