package dev.pcikit.agent;

import java.util.List;

/** The read-only documents: devices, one device, groups, check, SR-IOV, VFIO status. */
final class ReadRoutes implements RouteGroup {
  @Override
  public List<Route> routes(AgentContext ctx) {
    ReadCache cache = new ReadCache(ctx.host());
    return List.of(
        new Route(
            "GET",
            "/v1/devices",
            Access.READ,
            call -> {
              String s = call.query("s").orElse(null);
              String d = call.query("d").orElse(null);
              return cache.get(
                  "devices\n" + s + "\n" + d,
                  () -> Reply.ok(ctx.host().read(h -> ctx.documents().devices(h, s, d))));
            }));
  }
}
