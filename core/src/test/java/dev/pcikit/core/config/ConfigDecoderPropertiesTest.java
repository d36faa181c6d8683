package dev.pcikit.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/** Properties of the decoder on arbitrary bytes: total, terminating, never inventing data. */
class ConfigDecoderPropertiesTest {

  @Property(tries = 300)
  void anyBytesDecodeAndRenderWithoutThrowing(@ForAll @Size(max = 4200) byte[] data) {
    ConfigSpace cs = ConfigDecoder.decode(data);
    assertThat(cs.readableBytes()).isEqualTo(data.length);
    assertThat(cs.capabilities()).hasSizeLessThanOrEqualTo(ConfigDecoder.MAX_CAPS);
    assertThat(cs.extendedCapabilities()).hasSizeLessThanOrEqualTo(ConfigDecoder.MAX_EXT_CAPS);
    assertThat(ConfigRenderer.render(cs)).isNotEmpty();
    assertThat(ConfigRenderer.render(cs, new ConfigRenderer.Options(true))).isNotEmpty();
  }

  /**
   * Config spaces whose header is valid and whose capability and extended chains are made of random
   * pointers: chains of any shape (loops, self-loops, into the header, past the end) terminate,
   * visit each offset at most once, and every offset lies in its region.
   */
  @Property(tries = 300)
  void randomChainsTerminateWithoutRepeats(@ForAll("chained") byte[] data) {
    ConfigSpace cs = ConfigDecoder.decode(data);
    List<Integer> offs = cs.capabilities().stream().map(Capability::offset).toList();
    assertThat(offs).doesNotHaveDuplicates().allMatch(o -> o >= 0x40 && o < 0x100);
    List<Integer> ext = cs.extendedCapabilities().stream().map(ExtendedCapability::offset).toList();
    assertThat(ext).doesNotHaveDuplicates().allMatch(o -> o >= 0x100 && o < 0x1000);
    // the generator must really produce the bad shapes this property is about
    Statistics.label("std chain end").collect(stdEnd(cs));
    Statistics.label("std chain end")
        .coverage(
            c -> {
              c.check("CAP_LOOP").count(n -> n > 0);
              c.check("CAP_POINTER_INTO_HEADER").count(n -> n > 0);
              c.check("ended normally").count(n -> n > 0);
            });
    Statistics.label("ext chain loops").collect(cs.hasFinding(ConfigFinding.Kind.EXT_CAP_LOOP));
    Statistics.label("ext chain loops").coverage(c -> c.check(true).count(n -> n > 0));
  }

  private static String stdEnd(ConfigSpace cs) {
    return cs.findings().stream()
        .map(f -> f.kind().name())
        .filter(k -> k.startsWith("CAP_"))
        .findFirst()
        .orElse("ended normally");
  }

  @Provide
  Arbitrary<byte[]> chained() {
    // the body from a seed: element-wise generation of 4 KiB arrays would dominate the runtime
    Arbitrary<byte[]> body =
        Arbitraries.longs()
            .map(
                seed -> {
                  byte[] b = new byte[4096];
                  new java.util.Random(seed).nextBytes(b);
                  return b;
                });
    Arbitrary<List<Integer>> ptrs = Arbitraries.integers().between(0, 0xff).list().ofSize(48);
    Arbitrary<List<Integer>> extPtrs =
        Arbitraries.integers().between(0, 0xfff).list().ofMinSize(1).ofMaxSize(40);
    return Combinators.combine(body, ptrs, extPtrs)
        .as(
            (b, p, e) -> {
              b[0] = (byte) 0x86;
              b[1] = (byte) 0x80;
              b[6] |= 0x10; // capability list present
              b[0x0e] = 0;
              b[0x34] = (byte) (int) p.get(0);
              // each 4-aligned slot's next pointer is random, ID a decodable kind
              int[] ids = {0x01, 0x05, 0x10, 0x11, 0x09};
              for (int at = 0x40, i = 1; at < 0x100; at += 4, i++) {
                b[at] = (byte) ids[i % ids.length];
                b[at + 1] = (byte) (int) p.get(i % p.size());
              }
              int[] extIds = {0x10, 0x0d, 0x0e, 0x01, 0x0f, 0x1b, 0x13, 0x03, 0x0b};
              for (int at = 0x100, i = 0; at < 0x1000; at += 4, i++) {
                int next = e.get(i % e.size()) & ~3;
                int hdr = extIds[i % extIds.length] | 1 << 16 | next << 20;
                b[at] = (byte) hdr;
                b[at + 1] = (byte) (hdr >> 8);
                b[at + 2] = (byte) (hdr >> 16);
                b[at + 3] = (byte) (hdr >> 24);
              }
              return b;
            });
  }

  @Property(tries = 50)
  void allOnesNeverDecodes(@ForAll @IntRange(min = 2, max = 4096) int length) {
    byte[] data = new byte[length];
    Arrays.fill(data, (byte) 0xff);
    ConfigSpace cs = ConfigDecoder.decode(data);
    assertThat(cs.coverage()).isEqualTo(ConfigCoverage.NOT_RESPONDING);
    assertThat(cs.responding()).isFalse();
    assertThat(cs.header()).isEmpty();
    assertThat(cs.capabilities()).isEmpty();
    assertThat(cs.extendedCapabilities()).isEmpty();
    assertThat(cs.hasFinding(ConfigFinding.Kind.NOT_RESPONDING)).isTrue();
  }

  @Property(tries = 100)
  void shorterThanTheHeaderDecodesNothing(@ForAll @Size(max = 63) byte[] data) {
    data = data.length >= 1 ? data : new byte[0];
    if (data.length >= 2) {
      data[0] = 0x01; // not all ones
    }
    ConfigSpace cs = ConfigDecoder.decode(data);
    assertThat(cs.coverage()).isEqualTo(ConfigCoverage.TRUNCATED);
    assertThat(cs.header()).isEmpty();
    assertThat(cs.capabilities()).isEmpty();
    assertThat(cs.hasFinding(ConfigFinding.Kind.TRUNCATED)).isTrue();
  }

  /** Non-root readers get 64 bytes: the header decodes, capabilities are never invented. */
  @Property(tries = 100)
  void sixtyFourBytesMeanHeaderOnly(@ForAll @Size(64) byte[] data) {
    data[0] = 0x34;
    data[6] |= 0x10; // even with the capability-list bit set
    ConfigSpace cs = ConfigDecoder.decode(data);
    assertThat(cs.coverage()).isEqualTo(ConfigCoverage.HEADER_ONLY);
    assertThat(cs.header()).isPresent();
    assertThat(cs.capabilities()).isEmpty();
    assertThat(cs.extendedCapabilities()).isEmpty();
    assertThat(cs.capabilitiesReadable()).isFalse();
    assertThat(cs.hasFinding(ConfigFinding.Kind.NEEDS_ROOT)).isTrue();
    assertThat(ConfigRenderer.render(cs)).contains("need root");
  }

  /** Reading less never shows a capability that a full read would not show at that offset. */
  @Property(tries = 200)
  void truncationNeverInventsCapabilities(
      @ForAll("chained") byte[] data, @ForAll @IntRange(min = 64, max = 4096) int cut) {
    ConfigSpace full = ConfigDecoder.decode(data);
    ConfigSpace part = ConfigDecoder.decode(Arrays.copyOf(data, cut));
    List<Integer> fullOffs = full.capabilities().stream().map(Capability::offset).toList();
    List<Integer> partOffs = part.capabilities().stream().map(Capability::offset).toList();
    assertThat(partOffs).hasSizeLessThanOrEqualTo(fullOffs.size());
    assertThat(fullOffs.subList(0, partOffs.size())).isEqualTo(partOffs);
    if (cut < 4096) {
      assertThat(part.extendedCapabilities()).isEmpty();
    }
  }
}
