package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LspciListingTest {
  @Test
  void readsIdsClassAndDriverFromTheLastBracketsOfALine() {
    var devices =
        LspciListing.parse(
            List.of(
                "0000:00:1f.2 SATA controller [0106]: Intel Corporation 82801IR/IO/IH (ICH9R/DO/DH)"
                    + " 6 port SATA Controller [AHCI mode] [8086:2922] (rev 02)",
                "\tSubsystem: Red Hat, Inc. QEMU Virtual Machine [1af4:1100]",
                "0000:01:00.0 Non-Volatile memory controller [0108]: Red Hat, Inc. QEMU NVM Express"
                    + " Controller [1b36:0010] (rev 02)",
                "\tSubsystem: Red Hat, Inc. Device [1af4:1100]",
                "\tKernel driver in use: nvme",
                "\tKernel modules: nvme"));
    assertThat(devices.values())
        .containsExactly(
            new LspciListing.Device("0000:00:1f.2", "0106", "8086", "2922", null),
            new LspciListing.Device("0000:01:00.0", "0108", "1b36", "0010", "nvme"));
  }
}
