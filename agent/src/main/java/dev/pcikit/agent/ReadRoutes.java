package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.io.InputFiles;
import dev.pcikit.core.plan.GuestSpec;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reads: devices, one device, groups, check, SR-IOV and VFIO status (the CLI's documents),
 * plans in every CLI rendering, and the pictures. GET answers are cached while the host is
 * unchanged ({@link ReadCache}).
 */
final class ReadRoutes implements RouteGroup {
  /** Media types a guest spec may come as: JSON or YAML (JSON is YAML 1.2). */
  static final Set<String> SPEC_TYPES =
      Set.of(
          "application/json",
          "application/yaml",
          "application/x-yaml",
          "text/yaml",
          "text/x-yaml",
          "text/plain",
          "");

  @Override
  public List<Route> routes(AgentContext ctx) {
    ReadCache cache = new ReadCache(ctx.host());
    Docs docs = ctx.docs();
    return List.of(
        get(
            "/v1/devices",
            call -> {
              String s = call.query("s").orElse(null);
              String d = call.query("d").orElse(null);
              return cache.get(
                  "devices\n" + s + "\n" + d, () -> doc(ctx, h -> docs.devices(h, s, d)));
            }),
        get(
            "/v1/devices/{bdf}",
            call -> {
              String bdf = Paths.address("bdf", call.param("bdf")).toString();
              return cache.get("device\n" + bdf, () -> doc(ctx, h -> docs.device(h, bdf)));
            }),
        get(
            "/v1/groups",
            call -> {
              String s = call.query("s").orElse(null);
              String d = call.query("d").orElse(null);
              return cache.get(
                  "groups\n" + s + "\n" + d, () -> doc(ctx, h -> docs.groups(h, s, d)));
            }),
        get(
            "/v1/check",
            call -> {
              List<String> devs = call.queryAll("dev");
              return cache.get(
                  "check\n" + String.join("\n", devs), () -> doc(ctx, h -> docs.check(h, devs)));
            }),
        get("/v1/sriov", call -> cache.get("sriov", () -> doc(ctx, docs::sriov))),
        get("/v1/vfio", call -> cache.get("vfio", () -> doc(ctx, docs::vfio))),
        get(
            "/v1/pictures/host.svg",
            call ->
                cache.get(
                    "host.svg",
                    () ->
                        Reply.text(
                            200,
                            "image/svg+xml",
                            ctx.host()
                                .read(
                                    h ->
                                        docs.hostSvg(h, "PCI topology of " + ctx.host().name()))))),
        new Route(
            "POST",
            "/v1/plans",
            Access.READ,
            call -> {
              String format = call.query("format").orElse("summary");
              GuestSpec guest = spec(call);
              Docs.Rendering r = ctx.host().read(h -> Docs.plan(h, guest, format));
              return Reply.text(200, r.mediaType(), r.text());
            }),
        new Route(
            "POST",
            "/v1/pictures/plan.svg",
            Access.READ,
            call -> {
              GuestSpec guest = spec(call);
              return Reply.text(200, "image/svg+xml", ctx.host().read(h -> docs.planSvg(h, guest)));
            }));
  }

  private static Route get(String template, Endpoint e) {
    return new Route("GET", template, Access.READ, e);
  }

  private static Reply doc(AgentContext ctx, Function<dev.pcikit.core.host.Host, ObjectNode> f) {
    return Reply.ok(ctx.host().read(f));
  }

  /** The guest spec of a request body: YAML or JSON text, UTF-8, unknown keys refused. */
  static GuestSpec spec(Call call) throws java.io.IOException {
    String type = call.contentType();
    if (!SPEC_TYPES.contains(type)) {
      throw new UnsupportedType(type);
    }
    byte[] body = call.body();
    if (body.length == 0) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, "the body must be a guest spec");
    }
    String text =
        InputFiles.strictUtf8(body)
            .orElseThrow(
                () -> new PcikitException(Failure.BAD_INPUT, "the guest spec is not UTF-8"));
    return Docs.guest(text);
  }

  /** A body of a media type the route does not take: 415. */
  static final class UnsupportedType extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedType(String type) {
      super(
          "a guest spec is JSON or YAML (application/json, application/yaml), not "
              + Problems.quote(type));
    }
  }
}
