package dev.pcikit.agent;

import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.host.Recovery;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sriov.SriovPools;
import dev.pcikit.core.vfio.TransactionResult;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.core.vfio.WriteSelection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * The writes: bind, release, SR-IOV enable/disable, recover. Each takes {@code "dryRun"}: a dry run
 * plans on the unlocked host and answers the exact writes; a real one is queued as an {@link
 * Operation} and run under the host lock by the same engine as the CLI. The answer is the result
 * (200) when it ends within {@link AgentContext#SYNC_WAIT}, else 202 with {@code Location:
 * /v1/operations/ID} (at once with {@code Prefer: respond-async}, RFC 7240). Every write is
 * audited.
 */
final class WriteRoutes implements RouteGroup {
  private AgentContext ctx;

  @Override
  public List<Route> routes(AgentContext context) {
    this.ctx = context;
    return List.of(
        route("/v1/bind", "bind", this::bind),
        route("/v1/release", "release", this::release),
        route("/v1/sriov/{pf}/enable", "sriov-enable", this::sriovEnable),
        route("/v1/sriov/{pf}/disable", "sriov-disable", this::sriovDisable),
        route("/v1/recover", "recover", this::recover),
        new Route(
            "GET",
            "/v1/operations/{id}",
            Access.READ,
            call -> {
              String id = call.param("id");
              if (!id.matches("[0-9a-f]{16}")) {
                throw new PcikitException(
                    dev.pcikit.core.error.Failure.INVALID_ARGUMENT,
                    "not an operation id: " + Problems.quote(id));
              }
              return ctx.operations()
                  .find(id)
                  .map(op -> Reply.ok(op.document()))
                  .orElseThrow(
                      () ->
                          new PcikitException(
                              dev.pcikit.core.error.Failure.NOT_FOUND,
                              "no operation "
                                  + id
                                  + " (the agent keeps the last "
                                  + Operations.KEPT
                                  + ")"));
            }));
  }

  /** A write route: failures before anything runs (bad body, bad parameter) are audited too. */
  private Route route(String template, String what, Endpoint e) {
    return new Route(
        "POST",
        template,
        Access.ADMIN,
        call -> {
          try {
            return e.handle(call);
          } catch (PcikitException ex) {
            ctx.audit()
                .record(
                    call.caller(),
                    what,
                    null,
                    false,
                    Problems.status(ex.failure()),
                    ex.failure().name(),
                    null);
            throw ex;
          } catch (Call.TooLarge ex) {
            ctx.audit().record(call.caller(), what, null, false, 413, "TOO_LARGE", null);
            throw ex;
          }
        });
  }

  private Reply bind(Call call) throws Exception {
    Body b = Body.of(call, "devices", "group", "driver", "persist", "force", "dryRun");
    List<DeviceSelector> sel = selectors(b.strings("devices"));
    VfioEngine.BindRequest req =
        new VfioEngine.BindRequest(
            sel, b.bool("group"), b.string("driver"), b.bool("persist"), b.bool("force"));
    return vfio(call, "bind", b, engine -> engine.planBind(req));
  }

  private Reply release(Call call) throws Exception {
    Body b = Body.of(call, "devices", "force", "dryRun");
    List<DeviceSelector> sel = selectors(b.strings("devices"));
    boolean force = b.bool("force");
    return vfio(call, "release", b, engine -> engine.planRelease(sel, force));
  }

  interface Planner {
    VfioEngine.Plan plan(VfioEngine engine) throws java.io.IOException;
  }

  private Reply vfio(Call call, String what, Body b, Planner planner) throws Exception {
    if (b.bool("dryRun")) {
      return dry(
          call,
          what,
          b,
          () -> {
            VfioEngine engine = ctx.host().forWriting().vfio();
            try {
              VfioEngine.Plan plan = planner.plan(engine);
              return Reply.ok(WriteJson.dryRun(what, plan, engine.dryRun(plan)));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
    return submit(
        call,
        what,
        b,
        locked -> {
          VfioEngine engine = locked.vfio();
          VfioEngine.Plan plan = planner.plan(engine);
          TransactionResult r = engine.run(plan);
          return WriteJson.result(what, plan, r, locked.recovered());
        });
  }

  private Reply sriovEnable(Call call) throws Exception {
    PciAddress pf = Paths.address("pf", call.param("pf"));
    Body b = Body.of(call, "vfs", "for", "driver", "dryRun");
    int vfs = b.integer("vfs", 0, 65535);
    String target = b.string("for");
    if (target != null && !target.equals("vfio") && !target.equals("host")) {
      throw new PcikitException(
          dev.pcikit.core.error.Failure.INVALID_ARGUMENT, "'for' must be vfio or host");
    }
    boolean forVfio = target == null || target.equals("vfio");
    String driver = b.string("driver");
    if (b.bool("dryRun")) {
      return dryLines(
          call,
          "sriov-enable",
          b,
          env -> new SriovPools(env).dryRunEnable(pf, vfs, forVfio, driver));
    }
    return submit(
        call,
        "sriov-enable",
        b,
        locked -> {
          List<PciAddress> made = locked.sriov().enable(pf, vfs, forVfio, driver);
          ObjectNode o = WriteJson.document("sriov-enable", false);
          WriteJson.recovered(o, locked.recovered());
          o.put("outcome", "committed");
          o.put("pf", pf.toString());
          o.put("for", forVfio ? "vfio" : "host");
          WriteJson.addresses(o.putArray("vfs"), made);
          return Reply.ok(o);
        });
  }

  private Reply sriovDisable(Call call) throws Exception {
    PciAddress pf = Paths.address("pf", call.param("pf"));
    Body b = Body.of(call, "force", "dryRun");
    boolean force = b.bool("force");
    if (b.bool("dryRun")) {
      return dryLines(
          call, "sriov-disable", b, env -> new SriovPools(env).dryRunDisable(pf, force));
    }
    return submit(
        call,
        "sriov-disable",
        b,
        locked -> {
          locked.sriov().disable(pf, force);
          ObjectNode o = WriteJson.document("sriov-disable", false);
          WriteJson.recovered(o, locked.recovered());
          o.put("outcome", "committed");
          o.put("pf", pf.toString());
          return Reply.ok(o);
        });
  }

  private Reply recover(Call call) throws Exception {
    Body b = Body.of(call, "dryRun");
    if (b.bool("dryRun")) {
      return dryLines(call, "recover", b, Recovery::dryRun);
    }
    return submit(call, "recover", b, locked -> Reply.ok(ctx.docs().recovered(locked.recovered())));
  }

  // ---- the frame every write goes through ------------------------------------------------

  interface IoSupplier {
    Reply get() throws java.io.IOException;
  }

  private static Reply io(IoSupplier s) {
    try {
      return s.get();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  interface DryRunLines {
    List<String> of(VfioEnvironment env) throws java.io.IOException;
  }

  /** A --dry-run that answers the shell lines of the writes, planned on the host as it is. */
  private Reply dryLines(Call call, String what, Body b, DryRunLines lines) {
    return dry(
        call,
        what,
        b,
        () ->
            io(
                () ->
                    Reply.ok(
                        WriteJson.dryRun(
                            what, lines.of(ctx.host().forWriting().vfioEnvironment())))));
  }

  private Reply dry(Call call, String what, Body b, Supplier<Reply> work) {
    long t0 = System.nanoTime();
    Reply r;
    try {
      r = work.get();
    } catch (PcikitException e) {
      r = Problems.of(e);
    } catch (java.io.UncheckedIOException e) {
      r =
          Problems.of(
              new PcikitException(
                  dev.pcikit.core.error.Failure.KERNEL_REFUSED, e.getCause().getMessage(), e));
    }
    ctx.audit().record(call.caller(), what, b.node(), true, r.status(), failure(r), null);
    ctx.written(what, true, Duration.ofNanos(System.nanoTime() - t0), r);
    return r;
  }

  private Reply submit(Call call, String what, Body b, AgentContext.LockedWork work)
      throws InterruptedException {
    Operation op =
        ctx.operations()
            .submit(
                what,
                b.node(),
                () -> {
                  long t0 = System.nanoTime();
                  Reply r;
                  try {
                    r = ctx.locked(work);
                  } catch (PcikitException e) {
                    r = Problems.of(e);
                  }
                  ctx.written(what, false, Duration.ofNanos(System.nanoTime() - t0), r);
                  return r;
                },
                (o, r) ->
                    ctx.audit()
                        .record(
                            call.caller(), what, b.node(), false, r.status(), failure(r), o.id()));
    String prefer = call.request().getHeaders().get("Prefer");
    boolean async =
        prefer != null && prefer.toLowerCase(java.util.Locale.ROOT).contains("respond-async");
    if (!async && op.await(AgentContext.SYNC_WAIT.toMillis())) {
      return op.reply();
    }
    return Reply.json(202, op.document()).header("Location", "/v1/operations/" + op.id());
  }

  private static String failure(Reply r) {
    if (r.status() < 400) {
      return null;
    }
    return Json.read(r.body()).path("failure").asString(null);
  }

  private static List<DeviceSelector> selectors(List<String> devices) {
    List<DeviceSelector> out = new ArrayList<>();
    devices.forEach(d -> out.add(DeviceSelector.parse(d)));
    WriteSelection.checkNarrow(out);
    return out;
  }
}
