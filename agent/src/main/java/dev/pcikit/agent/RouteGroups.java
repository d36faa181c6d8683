package dev.pcikit.agent;

import dev.pcikit.agent.web.WebRoutes;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where route groups are registered: add a line here for a new group (events,
 * metrics, the web page), never a route inside another group's class.
 */
public final class RouteGroups {
  private RouteGroups() {}

  /** Every group the agent serves, in matching order (the first matching route answers). */
  public static List<RouteGroup> all() {
    List<RouteGroup> groups = new ArrayList<>();
    groups.add(new ReadRoutes());
    groups.add(new WriteRoutes());
    groups.add(new OpenApiRoutes());
    groups.add(new EventsRoutes());
    groups.add(new MetricsRoutes());
    groups.add(new WebRoutes());
    return groups;
  }
}
