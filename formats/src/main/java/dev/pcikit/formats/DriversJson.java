package dev.pcikit.formats;

import dev.pcikit.core.modalias.AliasEntry;
import dev.pcikit.core.modalias.AliasIndex;
import dev.pcikit.core.modalias.Lookup;
import dev.pcikit.core.modalias.VfioChoice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** The kernel-module document {@value #SCHEMA}, as {@code pcikit drivers -o json} prints it. */
public final class DriversJson {
  /** The schema name. */
  public static final String SCHEMA = "pcikit/drivers/v1";

  private DriversJson() {}

  /**
   * One resolved modalias.
   *
   * @param device the device address it was read from, empty for a modalias given as such
   * @param host the host modules udev would load (kmod's {@code modprobe -R})
   * @param vfio the VFIO driver candidates and the one chosen
   * @param blacklisted host modules that modprobe.d blacklists (udev skips them)
   */
  public record Entry(
      Optional<String> device, Lookup host, VfioChoice vfio, List<String> blacklisted) {}

  /**
   * The drivers document: kernel release, modules directory, warnings (the index's and {@code
   * notes}), and per entry the host modules, the VFIO candidates and the chosen VFIO driver.
   *
   * @param index the module alias index the entries were resolved in
   * @param entries the entries, in order
   * @param notes further notes (for instance a modalias built from ID attributes)
   * @return the document
   */
  public static ObjectNode document(AliasIndex index, List<Entry> entries, List<String> notes) {
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("kernelRelease", index.release());
    top.put("modulesDir", index.modulesDir().toString());
    List<String> warnings = new ArrayList<>(index.warnings());
    warnings.addAll(notes);
    top.put("warnings", warnings);
    List<Object> list = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("device", e.device().orElse(null));
      m.put("modalias", e.host().input());
      m.put("hostModules", e.host().modules());
      m.put("hostSource", e.host().source().name());
      m.put("blacklisted", e.blacklisted());
      VfioChoice v = e.vfio();
      m.put("vfioModules", v.candidateModules());
      List<Object> cands = new ArrayList<>();
      for (AliasEntry c : v.candidates()) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("module", c.module());
        cm.put("alias", c.pattern());
        cm.put("wildcards", c.wildcards());
        cm.put("origin", c.origin());
        cands.add(cm);
      }
      m.put("vfioCandidates", cands);
      m.put("chosenVfioDriver", v.chosen().orElse(null));
      m.put("reason", v.reason());
      m.put("byUser", v.byUser());
      m.put("tie", v.tie());
      m.put("fallback", v.fallback());
      list.add(m);
    }
    top.put("entries", list);
    ObjectNode doc = Documents.document(SCHEMA);
    doc.setAll((ObjectNode) Documents.json().valueToTree(top));
    return doc;
  }
}
