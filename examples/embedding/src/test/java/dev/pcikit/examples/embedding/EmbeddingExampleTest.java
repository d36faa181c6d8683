package dev.pcikit.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.sim.SimulatedHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingExampleTest {
  @TempDir Path state;

  @Test
  void bindsAndReleasesTheNicAndSaysSo() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SimulatedHost host =
        SimulatedHost.open("demo:x86-workstation", Map.of("PCIKIT_STATE_DIR", state.toString()));
    int status = EmbeddingExample.run(host, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).as(out).isZero();
    assertThat(out)
        .contains("0000:03:00.0  class 020000  driver igb")
        .contains("host ready: ")
        .contains("0000:03:00.0 can be passed through: true")
        .contains("bind: committed [0000:03:00.0 igb -> vfio-pci (override vfio-pci)]")
        .contains("release: committed [0000:03:00.0 vfio-pci (override vfio-pci) -> igb]");
    // released: the host is as it was
    assertThat(
            SimulatedHost.open("demo:x86-workstation", Map.of("PCIKIT_STATE_DIR", state.toString()))
                .sysfs()
                .linkName("bus/pci/devices/0000:03:00.0/driver"))
        .hasValue("igb");
  }
}
