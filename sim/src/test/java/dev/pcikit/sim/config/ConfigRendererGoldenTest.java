package dev.pcikit.sim.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigRenderer;
import dev.pcikit.core.model.PciAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rendered text of the hand-picked host and the real-kernel recording, against a golden file.
 * Regenerate with {@code -Dpcikit.regenerate=true} and review the diff.
 */
class ConfigRendererGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/config-render.txt");

  /** VFs of the hand-picked host. */
  private static final Set<String> BUILT_VFS = Set.of("0000:03:02.0", "0000:03:02.1");

  /** VFs in the recording (their physfn links point to 01:00.0). */
  private static final Set<String> RECORDED_VFS = Set.of("0000:01:00.1", "0000:01:00.2");

  @Test
  void renderingMatchesGoldenFile() throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append("# ConfigRenderer output; regenerate with -Dpcikit.regenerate=true\n");
    for (Map.Entry<PciAddress, byte[]> e : DecoderVsLspciTest.handPicked().entrySet()) {
      section(sb, "built " + e.getKey(), e.getValue(), BUILT_VFS.contains(e.getKey().toString()));
    }
    for (Map.Entry<PciAddress, byte[]> e : RecordedKernelVsLspciTest.read().configs().entrySet()) {
      String bdf = e.getKey().toString();
      section(sb, "recorded " + bdf, e.getValue(), RECORDED_VFS.contains(bdf));
    }
    String text = sb.toString();
    if (Boolean.getBoolean("pcikit.regenerate")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, text, StandardCharsets.UTF_8);
    }
    assertThat(text).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }

  private static void section(StringBuilder sb, String title, byte[] config, boolean vf) {
    sb.append("== ").append(title).append(vf ? " (as VF)" : "").append('\n');
    sb.append(ConfigRenderer.render(ConfigDecoder.decode(config), new ConfigRenderer.Options(vf)));
    sb.append('\n');
  }
}
