package dev.pcikit.sim.config;

import dev.pcikit.core.config.Capability;
import dev.pcikit.core.config.ConfigRenderer;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.config.ExtendedCapability;
import dev.pcikit.core.config.PciePortType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a decoded config space with lspci -vvv's block for the same function. Returns the
 * differences as text (empty when they agree), so a test can report all of them at once.
 *
 * <p>Checked: the capability offsets in chain order (standard and extended); every rendered line
 * that uses lspci's wording must appear verbatim in lspci's block (Control, Status, Bus, PM, MSI,
 * MSI-X, Express title, LnkSta, AER status/mask/severity, SR-IOV, ACS, ARI, ATS, PASID, PRI, DSN);
 * lines lspci extends (LnkCap with ASPM latencies, names of capabilities not decoded here) must
 * prefix an lspci line; and the FLR bit against lspci's DevCap "FLReset" flag.
 */
final class LspciComparison {
  private static final Pattern CAP = Pattern.compile("^Capabilities: \\[([0-9a-f]+)(?: v\\d+)?\\]");

  private LspciComparison() {}

  static List<String> differences(ConfigSpace cs, List<String> lspciBlock) {
    List<String> diffs = new ArrayList<>();
    List<String> theirs = lspciBlock.stream().map(Lspci::norm).toList();
    List<String> ours =
        ConfigRenderer.lines(cs, ConfigRenderer.Options.DEFAULT).stream().map(Lspci::norm).toList();

    List<String> ourOffsets = offsets(ours);
    List<String> theirOffsets =
        offsets(
            theirs.stream()
                .filter(l -> !l.contains("<chain looped>") && !l.contains("<chain broken>"))
                .toList());
    if (!ourOffsets.equals(theirOffsets)) {
      diffs.add("capability offsets: ours " + ourOffsets + ", lspci " + theirOffsets);
    }

    List<String> prefixOnly = new ArrayList<>();
    cs.capabilities().stream()
        .filter(Capability.Other.class::isInstance)
        .forEach(
            c -> prefixOnly.add(Lspci.norm(String.format("Capabilities: [%02x] ", c.offset()))));
    cs.extendedCapabilities().stream()
        .filter(ExtendedCapability.Other.class::isInstance)
        .forEach(
            c ->
                prefixOnly.add(
                    Lspci.norm(
                        String.format("Capabilities: [%03x v%d] ", c.offset(), c.version()))));
    // lspci names the subsystem ("Subsystem: Device 8086:0000" with an empty pci.ids)
    cs.capabilities().stream()
        .filter(Capability.SubsystemId.class::isInstance)
        .map(Capability.SubsystemId.class::cast)
        .forEach(
            c -> {
              String start = String.format("Capabilities: [%02x] Subsystem: ", c.offset());
              String ids = String.format("%04x:%04x", c.subsystemVendorId(), c.subsystemDeviceId());
              if (theirs.stream().noneMatch(l -> l.startsWith(start) && l.endsWith(ids))) {
                diffs.add("lspci lacks: " + start + "... " + ids);
              }
            });
    for (String line : ours) {
      if (line.contains("] Subsystem: ")) {
        continue; // checked above
      }
      if (line.startsWith("Config space:")
          || line.startsWith("Header:")
          || line.startsWith("Subsystem ID:")
          || line.startsWith("Note:")
          || line.startsWith("Warning:")
          || line.startsWith("Error:")
          || line.startsWith("DevCap:")) {
        continue; // pcikit's own wording
      }
      boolean prefix =
          line.startsWith("LnkCap:")
              || line.startsWith("Capabilities: <access denied>")
              || prefixOnly.stream().anyMatch(line::startsWith);
      if (line.startsWith("Capabilities: <access denied>")) {
        line = "Capabilities: <access denied>";
      }
      String want = line;
      boolean found =
          prefix ? theirs.stream().anyMatch(l -> l.startsWith(want)) : theirs.contains(want);
      if (!found) {
        diffs.add("lspci lacks: " + line);
      }
    }

    cs.express()
        .ifPresent(
            e -> {
              PciePortType t = e.portType();
              // lspci prints FLReset in DevCap for endpoint types only (ls-caps.c cap_express_dev)
              if (t == PciePortType.ENDPOINT
                  || t == PciePortType.LEGACY_ENDPOINT
                  || t == PciePortType.ROOT_COMPLEX_INTEGRATED_ENDPOINT) {
                String flag = "FLReset" + (e.flr() ? "+" : "-");
                boolean devcap =
                    lspciBlock.stream()
                        .map(Lspci::norm)
                        .dropWhile(l -> !l.startsWith("DevCap:"))
                        .limit(2)
                        .anyMatch(l -> l.contains(flag));
                if (!devcap) {
                  diffs.add("lspci DevCap lacks " + flag);
                }
              }
            });
    return diffs;
  }

  private static List<String> offsets(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      Matcher m = CAP.matcher(l);
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }
}
