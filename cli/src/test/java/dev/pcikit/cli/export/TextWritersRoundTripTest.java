package dev.pcikit.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.export.JsonText;
import dev.pcikit.core.export.YamlText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;

/**
 * Core's dependency-free JSON and YAML writers against real parsers (Jackson JSON and YAML): any
 * tree of maps, lists, strings (YAML's troublemakers included: "yes", "0x10", "~", "08", ": ", "#",
 * quotes, control characters), integers and booleans reads back as the same tree.
 */
class TextWritersRoundTripTest {

  @Provide
  Arbitrary<Object> trees() {
    Arbitrary<String> tricky =
        Arbitraries.of(
            "yes",
            "no",
            "on",
            "~",
            "null",
            "true",
            "0x10",
            "08",
            "1e3",
            "- x",
            "a: b",
            "#c",
            "'q'",
            "\"d\"",
            "tab\there",
            "nl\nx",
            "\u0085",
            "\u0099",
            "\ufeff",
            "\uffff",
            "\u0001",
            "\u0085",
            "c1 \u0080\u009f",
            "\ufffe",
            "pair \ud83d\ude00",
            "é",
            "",
            " lead",
            "trail ",
            "[x]");
    Arbitrary<String> strings = Arbitraries.oneOf(tricky, Arbitraries.strings().ofMaxLength(12));
    Arbitrary<Object> scalars =
        Arbitraries.oneOf(
            strings.map(s -> (Object) s),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.of(true, false).map(b -> (Object) b));
    Arbitrary<String> keys =
        Arbitraries.oneOf(
            tricky,
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
            Arbitraries.of("resource.kubernetes.io/pciBusID", "a/b", "x-y.z"));
    return Arbitraries.recursive(
        () -> scalars,
        inner ->
            Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l)),
                Arbitraries.maps(keys, inner)
                    .ofMaxSize(4)
                    .map(m -> (Object) new LinkedHashMap<>(m))),
        3);
  }

  @Property(tries = 300)
  void jsonAndYamlReadBackAsTheSameTree(@ForAll("trees") Object tree) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("root", tree);
    JsonNode expected = ExportRun.JSON.readTree(ExportRun.JSON.writeValueAsString(doc));
    assertThat(ExportRun.JSON.readTree(JsonText.write(doc))).isEqualTo(expected);
    assertThat(ExportRun.JSON.readTree(JsonText.compact(doc))).isEqualTo(expected);
    String yaml = YamlText.comment("a comment\nover two lines") + YamlText.write(doc);
    assertThat(ExportRun.YAML.readTree(yaml)).as(yaml).isEqualTo(expected);
  }

  @Property(tries = 50)
  void listsAtTheTopLevelToo(@ForAll("trees") Object tree) {
    List<Object> doc = new ArrayList<>(List.of(tree, "x"));
    assertThat(ExportRun.YAML.readTree(YamlText.write(doc)))
        .isEqualTo(ExportRun.JSON.readTree(ExportRun.JSON.writeValueAsString(doc)));
  }
}
