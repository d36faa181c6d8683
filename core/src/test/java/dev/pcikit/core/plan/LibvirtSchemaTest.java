package dev.pcikit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.plan.render.LibvirtRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every generated domain validates against libvirt's own schema (virt-xml-validate). */
class LibvirtSchemaTest {

  @Test
  void generatedDomainsValidate(@TempDir Path dir) throws Exception {
    Path validator = Tools.require("virt-xml-validate");
    Tools.require("xmllint"); // virt-xml-validate runs it
    Map<String, String> domains = new LinkedHashMap<>();
    domains.put("pseries", LibvirtRenderer.domain(GoldenPlanTest.pseries()));
    domains.put("q35", LibvirtRenderer.domain(GoldenPlanTest.q35()));
    domains.put("virt", LibvirtRenderer.domain(GoldenPlanTest.virt()));
    domains.put("s390x", LibvirtRenderer.domain(GoldenPlanTest.s390()));
    domains.put("pseries-replan", LibvirtRenderer.domain(GoldenPlanTest.pseriesReplan()));
    domains.put(
        "pseries-30",
        LibvirtRenderer.domain(
            Planner.plan(
                TestHosts.spec(MachineType.PSERIES, PlannerTest.selectors(30)),
                TestHosts.manyPes(30),
                Optional.empty())));
    domains.put(
        "q35-added",
        LibvirtRenderer.domain(
            Planner.plan(
                TestHosts.spec(MachineType.Q35, "0000:06:00.0"),
                PlannerTest.withExtraNvme(),
                Optional.of(DomainXmlReader.parse(domains.get("q35"))))));
    for (var e : domains.entrySet()) {
      Path f = dir.resolve(e.getKey() + ".xml");
      Files.writeString(f, e.getValue());
      Tools.Result r = Tools.run(List.of(validator.toString(), f.toString(), "domain"), 60);
      assertThat(r.exit()).as(e.getKey() + ": " + r.output() + "\n" + e.getValue()).isZero();
      assertThat(r.output()).contains("validates");
    }
  }

  @Test
  void theValidatorCatchesABrokenDomain(@TempDir Path dir) throws Exception {
    // the check above can fail: a PHB target index beyond uint8 does not validate
    Path validator = Tools.require("virt-xml-validate");
    Tools.require("xmllint");
    String bad =
        LibvirtRenderer.domain(GoldenPlanTest.pseries())
            .replace("<target index='1'>", "<target index='999'>");
    Path f = dir.resolve("bad.xml");
    Files.writeString(f, bad);
    assertThat(Tools.run(List.of(validator.toString(), f.toString(), "domain"), 60).exit())
        .isNotZero();
  }
}
