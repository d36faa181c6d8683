package dev.pcikit.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.holders.FakeHolders;
import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.model.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SystemHost#holders()} reads the processes and libvirt files of its own root. */
class SystemHostHoldersTest {
  @TempDir Path root;

  static final PciAddress NIC = PciAddress.parse("0000:03:00.0");

  @Test
  void holdersComeFromTheRootsProcAndLibvirtFiles() throws Exception {
    Files.createDirectories(root.resolve("sys/bus/pci/devices"));
    SystemHost host = SystemHost.of(root);
    assertThat(host.holders().groups()).isEmpty();
    FakeHolders.qemuHoldsGroup12ForDomainLab(root);
    // read afresh: the holder that appeared after the host was opened is seen
    assertThat(host.holders().of(NIC, 12))
        .singleElement()
        .satisfies(
            (GroupHolder h) -> {
              assertThat(h.pid()).isEqualTo(4242);
              assertThat(h.cmdline()).isEqualTo("qemu-system-x86_64 -name guest=lab");
              assertThat(h.domain()).hasValueSatisfying(d -> assertThat(d.name()).isEqualTo("lab"));
            });
  }
}
