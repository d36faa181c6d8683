package dev.pcikit.cli.export;

import dev.pcikit.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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

  record Result(int code, String out, String err) {}

  private static final java.util.Map<List<String>, Result> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The same export of the same pristine demo host is computed once per test run. */
  static Result run(String host, String... args) {
    List<String> key = new ArrayList<>(List.of(host));
    key.addAll(List.of(args));
    return CACHE.computeIfAbsent(key, k -> runUncached(host, args));
  }

  private static Result runUncached(String host, String... args) {
    Path state;
    try {
      state = Files.createTempDirectory("pcikit-export-state");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String before = System.getProperty("pcikit.stateDir");
    System.setProperty("pcikit.stateDir", state.toString());
    try {
      List<String> all = new ArrayList<>(List.of("--host", "demo:" + host, "--pci-ids", pciIds()));
      all.addAll(List.of(args));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
      return new Result(code, out.toString(), err.toString());
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
