package dev.pcikit.core.plan;

import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Host fact sets for planner tests. */
final class TestHosts {
  private TestHosts() {}

  static HostFunction fn(
      String bdf, int vendor, int device, int cls, int group, int numa, boolean pcie, boolean mf) {
    return new HostFunction(
        PciAddress.parse(bdf),
        vendor,
        device,
        cls,
        group,
        numa,
        pcie,
        pcie ? 4096 : 256,
        mf,
        Optional.empty());
  }

  /**
   * A POWER host: an NVMe PE (node 0), a two-function NIC PE (node 8), a conventional device with
   * 256 bytes, an SR-IOV VF, and a PCIe function whose extended config is not reachable.
   */
  static HostTopology power() {
    List<HostFunction> l = new ArrayList<>();
    l.add(fn("0001:01:00.0", 0x144d, 0xa808, 0x010802, 1, 0, true, false));
    l.add(fn("0002:01:00.0", 0x15b3, 0x1017, 0x020000, 2, 8, true, true));
    l.add(fn("0002:01:00.1", 0x15b3, 0x1017, 0x020000, 2, 8, true, true));
    l.add(fn("0003:01:00.0", 0x8086, 0x100e, 0x020000, 3, 0, false, false));
    l.add(
        new HostFunction(
            PciAddress.parse("0002:01:00.2"),
            0x15b3,
            0x1018,
            0x020000,
            4,
            8,
            true,
            4096,
            false,
            Optional.of(PciAddress.parse("0002:01:00.0"))));
    l.add(
        new HostFunction(
            PciAddress.parse("0004:01:00.0"),
            0x1014,
            0x034a,
            0x010400,
            5,
            0,
            true,
            256,
            false,
            Optional.empty()));
    l.add(fn("0000:00:00.0", 0x1014, 0x04c1, 0x060400, 6, 0, true, false));
    return new HostTopology(l);
  }

  /** An x86 host: NVMe, GPU + audio (one group), a conventional e1000, and a root port. */
  static HostTopology x86() {
    List<HostFunction> l = new ArrayList<>();
    l.add(fn("0000:00:1c.0", 0x8086, 0xa110, 0x060400, 9, -1, true, false));
    l.add(fn("0000:01:00.0", 0x1b36, 0x0010, 0x010802, 10, -1, true, false));
    l.add(fn("0000:02:00.0", 0x10de, 0x1db6, 0x030200, 11, -1, true, true));
    l.add(fn("0000:02:00.1", 0x10de, 0x10f2, 0x040300, 11, -1, true, true));
    l.add(fn("0000:05:01.0", 0x8086, 0x100e, 0x020000, 12, -1, false, false));
    l.add(fn("0000:03:00.0", 0x8086, 0x10d3, 0x020000, 13, -1, true, false));
    return new HostTopology(l);
  }

  /** {@code n} PEs, one PCIe function each, spread over two NUMA nodes. */
  static HostTopology manyPes(int n) {
    List<HostFunction> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(
          fn(
              String.format("%04x:01:00.0", i + 1),
              0x144d,
              0xa808,
              0x010802,
              100 + i,
              i % 2,
              true,
              false));
    }
    return new HostTopology(l);
  }

  static GuestSpec spec(MachineType m, String... selectors) {
    return spec(m, Policies.defaults(), OptionalInt.empty(), selectors);
  }

  static GuestSpec spec(MachineType m, Policies p, OptionalInt spares, String... selectors) {
    List<DeviceRequest> reqs = new ArrayList<>();
    for (String s : selectors) {
      reqs.add(DeviceRequest.of(s));
    }
    return new GuestSpec("guest1", m, reqs, 2, spares, p);
  }
}
