package dev.pcikit.core.draw;

import dev.pcikit.core.testhosts.SyntheticHost;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Random hosts: whatever the tree, the written SVG stays readable (see HostPictureTest). */
class LayoutPropertiesTest {

  /** One step: (kind 0 = endpoint, 1 = bridge, 2 = PF with VFs; parent pick; count; name). */
  @Provide
  Arbitrary<List<Tuple.Tuple4<Integer, Integer, Integer, String>>> steps() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80);
    return Arbitraries.integers()
        .between(0, 2)
        .flatMap(
            kind ->
                Arbitraries.integers()
                    .between(0, 1000)
                    .flatMap(
                        parent ->
                            Arbitraries.integers()
                                .between(1, 9)
                                .flatMap(n -> names.map(name -> Tuple.of(kind, parent, n, name)))))
        .list()
        .ofMinSize(1)
        .ofMaxSize(25);
  }

  @Property(tries = 40)
  void randomHostsDrawWithoutOverlaps(
      @ForAll("steps") List<Tuple.Tuple4<Integer, Integer, Integer, String>> steps,
      @ForAll boolean expand)
      throws Exception {
    SyntheticHost h = new SyntheticHost();
    List<SyntheticHost.Fn> bridges = new ArrayList<>();
    java.util.Map<String, String> names = new java.util.HashMap<>();
    int bus = 1;
    int slot = 0;
    int group = 0;
    for (var s : steps) {
      SyntheticHost.Fn parent =
          bridges.isEmpty() || s.get2() % 3 == 0 ? null : bridges.get(s.get2() % bridges.size());
      int b = parent == null ? 0 : bus++;
      String bdf = String.format("0000:%02x:%02x.0", b, parent == null ? slot++ : 0);
      int cls = s.get1() == 1 ? 0x060400 : 0x020000;
      SyntheticHost.Fn fn =
          parent == null
              ? h.onRoot(bdf, 0x8086, 0x1000 + s.get2(), cls)
              : h.below(parent, bdf, 0x8086, 0x1000 + s.get2(), cls);
      fn.group(group++).driver(s.get2() % 2 == 0 ? "vfio-pci" : "x<&>\"drv");
      names.put(bdf, s.get4());
      if (s.get1() == 1) {
        bridges.add(fn);
      } else if (s.get1() == 2) {
        fn.sriov(64, s.get3());
        for (int v = 0; v < s.get3(); v++) {
          String vf = String.format("0000:%02x:%02x.%x", b, parent == null ? slot - 1 : 0, v + 1);
          if (v + 1 > 7) {
            break;
          }
          SyntheticHost.Fn vfn =
              parent == null
                  ? h.onRoot(vf, 0x8086, 0x1889, 0x020000)
                  : h.below(parent, vf, 0x8086, 0x1889, 0x020000);
          vfn.group(group++).vfOf(fn, v);
          if (v % 3 == 0) {
            vfn.driver("vfio-pci");
          }
        }
      }
    }
    HostPicture p =
        new HostPicture(
            "random", h.inventory(), d -> names.getOrDefault(d.address().toString(), ""), expand);
    HostPictureTest.assertReadable("random", p.svg());
  }
}
