package dev.pcikit.cli.export;

import dev.pcikit.cli.CliRun;
import dev.pcikit.cli.CliRun.Run;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Runs `pcikit --host demo:NAME export ...` in-process on a pristine demo host (a fresh state
 * directory, so no earlier command's writes leak in) with the checked-in pci.ids subset, so that
 * outputs do not depend on the machine.
 */
final class ExportRun {
  private ExportRun() {}

  static final List<String> HOSTS = List.of("x86-workstation", "power9", "s390x", "nic-farm");
  static final ObjectMapper JSON = JsonMapper.builder().build();
  static final ObjectMapper YAML = YAMLMapper.builder().build();

  private static final java.util.Map<List<String>, Run> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The same export of the same pristine demo host is computed once per test run. */
  static Run run(String host, String... args) {
    List<String> key = new ArrayList<>(List.of(host));
    key.addAll(List.of(args));
    return CACHE.computeIfAbsent(key, k -> runUncached(host, args));
  }

  private static Run runUncached(String host, String... args) {
    Path state;
    try {
      state = Files.createTempDirectory("pcikit-export-state");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String before = System.getProperty("pcikit.stateDir");
    System.setProperty("pcikit.stateDir", state.toString());
    try {
      return CliRun.run(
          CliRun.prefixed(List.of("--host", "demo:" + host, "--pci-ids", pciIds()), args));
    } finally {
      if (before == null) {
        System.clearProperty("pcikit.stateDir");
      } else {
        System.setProperty("pcikit.stateDir", before);
      }
    }
  }

  static String pciIds() {
    try {
      return Path.of(ExportRun.class.getResource("/demo-pci.ids").toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  static JsonNode resourceJson(String name) throws IOException {
    try (var in = ExportRun.class.getResourceAsStream(name)) {
      return name.endsWith(".json") ? JSON.readTree(in) : YAML.readTree(in);
    }
  }
}
