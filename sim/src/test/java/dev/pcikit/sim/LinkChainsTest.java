package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Materializing never makes a link that resolves outside the target directory. */
class LinkChainsTest {
  @TempDir Path tmp;

  @Test
  void aChainThroughAnotherLinkIsRefusedBeforeAnythingIsWritten() {
    HostSysfs fs = new HostSysfs();
    fs.putText("devices/pci0000:00/0000:00:01.0/vendor", "0x8086\n");
    fs.putLink("devices/pci0000:00/0000:00:01.0/up", "../../..");
    fs.putLink("devices/pci0000:00/0000:00:01.0/driver", "up/../../../escape");
    Path target = tmp.resolve("tree");
    assertThatThrownBy(() -> TreeMaterializer.materialize(fs, target))
        .isInstanceOfSatisfying(
            PcikitException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_INPUT))
        .hasMessageContaining("0000:00:01.0/driver: leaves the tree");
    assertThat(Files.exists(target)).isFalse();
    assertThat(Files.exists(tmp.resolve("escape"))).isFalse();
  }

  @Test
  void everyDemoHostStaysInside() {
    for (String demo : DemoHosts.NAMES) {
      assertThat(LinkChains.firstEscape(DemoHosts.load(demo))).as(demo).isEmpty();
    }
  }
}
