package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.http.unix.UnixHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Writes through the API on demo hosts: the engine's outcomes, dry runs, operations, audit. */
class AgentWritesTest {
  @TempDir Path dir;

  static final String NIC = "0000:03:00.0";

  @Test
  void bindDryRunThenBindThenReleaseOnTheWorkstation() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      String before = a.driver(NIC);
      assertThat(before).isNotEqualTo("vfio-pci");

      UnixHttp.Answer dry =
          a.api.post("/v1/bind", "{\"devices\":[\"" + NIC + "\"],\"dryRun\":true}");
      assertThat(dry.status()).as(dry.text()).isEqualTo(200);
      JsonNode d = Api.json(dry);
      assertThat(d.get("outcome").asString()).isEqualTo("planned");
      assertThat(d.get("writes").toString()).contains("vfio-pci").contains("/sys/bus/pci");
      assertThat(a.driver(NIC)).isEqualTo(before);

      UnixHttp.Answer bind = a.api.post("/v1/bind", "{\"devices\":[\"" + NIC + "\"]}");
      assertThat(bind.status()).as(bind.text()).isEqualTo(200);
      JsonNode b = Api.json(bind);
      assertThat(b.get("outcome").asString()).isEqualTo("committed");
      assertThat(b.get("done").get(0).get("bdf").asString()).isEqualTo(NIC);
      assertThat(a.driver(NIC)).isEqualTo("vfio-pci");

      UnixHttp.Answer rel = a.api.post("/v1/release", "{\"devices\":[\"" + NIC + "\"]}");
      assertThat(rel.status()).as(rel.text()).isEqualTo(200);
      assertThat(a.driver(NIC)).isEqualTo(before);

      List<String> audit = Files.readAllLines(a.agent.context().audit().file());
      assertThat(audit).hasSize(3);
      JsonNode line = Json.read(audit.get(1).getBytes());
      assertThat(line.get("what").asString()).isEqualTo("bind");
      assertThat(line.get("dryRun").asBoolean()).isFalse();
      assertThat(line.get("outcome").get("status").asInt()).isEqualTo(200);
      assertThat(line.get("who").asString()).startsWith("uid:");
      assertThat(line.get("operation").asString()).matches("[0-9a-f]{16}");
      assertThat(Json.read(audit.get(0).getBytes()).get("dryRun").asBoolean()).isTrue();
    }
  }

  @Test
  void aRefusalIsAConflictWithTheTypedRefusals() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      // the GPU shares its group with its audio function (docs: scripts/main.sh)
      UnixHttp.Answer r = a.api.post("/v1/bind", "{\"devices\":[\"0000:01:00.0\"]}");
      assertThat(r.status()).as(r.text()).isEqualTo(409);
      assertThat(r.contentType()).startsWith("application/problem+json");
      JsonNode p = Api.json(r);
      assertThat(p.get("failure").asString()).isEqualTo("REFUSED");
      assertThat(p.get("remedy").asString()).isEqualTo("INCLUDE_WHOLE_GROUP");
      assertThat(p.toString()).doesNotContain("at dev.pcikit");

      // with the whole group: the boot VGA rule (a host-safety refusal, typed)
      UnixHttp.Answer g = a.api.post("/v1/bind", "{\"devices\":[\"0000:01:00.0\"],\"group\":true}");
      assertThat(g.status()).as(g.text()).isEqualTo(409);
      JsonNode rp = Api.json(g);
      assertThat(rp.get("refusals").get(0).get("rule").asString()).isEqualTo("BOOT_VGA");
      assertThat(rp.get("remedy").asString()).isEqualTo("OVERRIDE_SAFETY_RULES");
      List<String> audit = Files.readAllLines(a.agent.context().audit().file());
      assertThat(audit).hasSize(2).allMatch(l -> l.contains("\"failure\":\"REFUSED\""));
    }
  }

  @Test
  void respondAsyncAnswers202AndTheOperationCanBePolled() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      UnixHttp.Answer r =
          a.api
              .withHeader("Prefer", "respond-async")
              .post("/v1/bind", "{\"devices\":[\"" + NIC + "\"]}");
      assertThat(r.status()).as(r.text()).isEqualTo(202);
      String location = r.headers().get("location");
      assertThat(location).matches("/v1/operations/[0-9a-f]{16}");
      JsonNode op = Api.json(a.api.get(location));
      for (int i = 0; i < 200 && op.get("state").asString().matches("queued|running"); i++) {
        Thread.sleep(25);
        op = Api.json(a.api.get(location));
      }
      assertThat(op.get("state").asString()).isEqualTo("done");
      assertThat(op.get("status").asInt()).isEqualTo(200);
      assertThat(op.get("result").get("outcome").asString()).isEqualTo("committed");
      assertThat(a.driver(NIC)).isEqualTo("vfio-pci");

      assertThat(a.api.get("/v1/operations/0123456789abcdef").status()).isEqualTo(404);
      assertThat(a.api.get("/v1/operations/nope").status()).isEqualTo(400);
    }
  }

  @Test
  void sriovDisableAndEnableOnTheNicFarm() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:nic-farm", dir)) {
      String pf = "0000:17:00.0";
      UnixHttp.Answer dry = a.api.post("/v1/sriov/" + pf + "/disable", "{\"dryRun\":true}");
      assertThat(dry.status()).as(dry.text()).isEqualTo(200);
      assertThat(Api.json(dry).get("writes").toString()).contains("sriov_numvfs");

      UnixHttp.Answer off = a.api.finish(a.api.post("/v1/sriov/" + pf + "/disable", "{}"));
      assertThat(off.status()).as(off.text()).isEqualTo(200);
      assertThat(a.driver("0000:17:00.0")).isEqualTo("ice");

      UnixHttp.Answer on = a.api.finish(a.api.post("/v1/sriov/" + pf + "/enable", "{\"vfs\":8}"));
      assertThat(on.status()).as(on.text()).isEqualTo(200);
      JsonNode e = Api.json(on);
      assertThat(e.get("vfs")).hasSize(8);
      assertThat(a.driver(e.get("vfs").get(0).asString())).isEqualTo("vfio-pci");

      UnixHttp.Answer bad = a.api.post("/v1/sriov/" + pf + "/enable", "{\"vfs\":-1}");
      assertThat(bad.status()).isEqualTo(400);
      UnixHttp.Answer notPf = a.api.post("/v1/sriov/0000:00:00.0/enable", "{\"vfs\":2}");
      assertThat(notPf.status()).as(notPf.text()).isBetween(400, 409);
    }
  }

  @Test
  void recoverWithNothingPendingAndItsDryRun() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      UnixHttp.Answer dry = a.api.post("/v1/recover", "{\"dryRun\":true}");
      assertThat(dry.status()).as(dry.text()).isEqualTo(200);
      UnixHttp.Answer r = a.api.post("/v1/recover", "");
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(Api.json(r).get("schema").asString()).isEqualTo("pcikit/recover/v1");
      assertThat(Api.json(r).get("recovered")).isEmpty();
    }
  }
}
