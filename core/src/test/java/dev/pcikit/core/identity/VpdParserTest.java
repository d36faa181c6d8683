package dev.pcikit.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class VpdParserTest {

  /** A well-formed VPD: ID string, VPD-R with PN/SN/EC/RV (checksum), VPD-W, end tag. */
  static byte[] vpd(String name, String serial) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    large(o, 0x82, name.getBytes(StandardCharsets.ISO_8859_1));
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    keyword(r, "PN", "X520-DA2");
    keyword(r, "SN", serial);
    keyword(r, "EC", "A1");
    byte[] ro = r.toByteArray();
    // RV: one checksum byte + 2 reserved; the checksum covers everything up to it
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(o.toByteArray());
    int rLen = ro.length + 3 + 3;
    all.write(0x90);
    all.write(rLen & 0xff);
    all.write(rLen >> 8);
    all.writeBytes(ro);
    all.writeBytes(new byte[] {'R', 'V', 3});
    int sum = 0;
    for (byte b : all.toByteArray()) {
      sum += b;
    }
    all.write(-sum & 0xff);
    all.write(0);
    all.write(0);
    ByteArrayOutputStream w = new ByteArrayOutputStream();
    keyword(w, "V1", "rw");
    keyword(w, "RW", "\0\0\0\0");
    large(all, 0x91, w.toByteArray());
    all.write(0x78);
    return all.toByteArray();
  }

  static void large(ByteArrayOutputStream o, int tag, byte[] body) {
    o.write(tag);
    o.write(body.length & 0xff);
    o.write(body.length >> 8);
    o.writeBytes(body);
  }

  static void keyword(ByteArrayOutputStream o, String kw, String value) {
    o.writeBytes(kw.getBytes(StandardCharsets.US_ASCII));
    o.write(value.length());
    o.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void decodesIdStringKeywordsChecksumAndEnd() {
    Vpd v = VpdParser.parse(vpd("Example 10G NIC", "SN1234567"));
    assertThat(v.findings()).isEmpty();
    assertThat(v.productName()).contains("Example 10G NIC");
    assertThat(v.readOnly()).containsKeys("PN", "SN", "EC", "RV");
    assertThat(v.serial()).contains("SN1234567");
    assertThat(v.readWrite()).containsKeys("V1", "RW");
    assertThat(v.checksumGood()).contains(true);
    assertThat(v.endTag()).isTrue();
  }

  @Test
  void badChecksumIsAFinding() {
    byte[] b = vpd("NIC", "SN1");
    b[5] ^= 0x01; // a byte of the ID string, covered by the checksum
    Vpd v = VpdParser.parse(b);
    assertThat(v.checksumGood()).contains(false);
    assertThat(v.findings()).anyMatch(f -> f.contains("checksum"));
    assertThat(v.serial()).contains("SN1");
  }

  @Test
  void unprogrammedSerialsAreNoSerial() {
    assertThat(VpdParser.parse(vpd("NIC", "          ")).serial()).isEmpty();
    assertThat(VpdParser.parse(vpd("NIC", "0000000000")).serial()).isEmpty();
    assertThat(VpdParser.parse(vpd("NIC", "\u00ff\u00ff\u00ff")).serial()).isEmpty();
    assertThat(VpdParser.parse(vpd("NIC", "AB12  \0\0")).serial()).contains("AB12");
  }

  @Test
  void lengthRunningPastTheEndIsAFinding() {
    byte[] b = {(byte) 0x82, (byte) 0xff, 0x7f, 'a', 'b'};
    Vpd v = VpdParser.parse(b);
    assertThat(v.findings()).anyMatch(f -> f.contains("claims 32767 bytes but only 2 remain"));
    assertThat(v.endTag()).isFalse();
  }

  @Test
  void keywordRunningPastItsResourceIsAFinding() {
    byte[] b = {(byte) 0x90, 5, 0, 'S', 'N', (byte) 200, 'x', 'y', 0x78};
    Vpd v = VpdParser.parse(b);
    assertThat(v.findings()).anyMatch(f -> f.contains("keyword SN claims 200 bytes"));
    assertThat(v.serial()).isEmpty();
    assertThat(v.endTag()).isTrue();
  }

  @Test
  @Timeout(5)
  void loopingTagsEnd() {
    // zero-length small resources over and over (a reader that re-reads the same tag would spin)
    byte[] b = new byte[VpdParser.MAX_SIZE];
    java.util.Arrays.fill(b, (byte) 0x10); // small tag type 2, length 0
    Vpd v = VpdParser.parse(b);
    assertThat(v.endTag()).isFalse();
    assertThat(v.findings()).contains("no VPD end tag (0x78) found");
    // zero-length large resources
    byte[] c = new byte[3 * 5000];
    for (int i = 0; i < c.length; i += 3) {
      c[i] = (byte) 0x90;
    }
    assertThat(VpdParser.parse(c).findings()).contains("no VPD end tag (0x78) found");
  }

  @Test
  @Timeout(5)
  void sixtyFourKibOfGarbageIsBounded() {
    byte[] b = new byte[64 * 1024];
    new Random(13).nextBytes(b);
    Vpd v = VpdParser.parse(b);
    assertThat(v.findings()).anyMatch(f -> f.contains("more than the 32 KiB VPD address space"));
  }

  @Test
  void emptyAndNull() {
    assertThat(VpdParser.parse(new byte[0]).findings()).containsExactly("VPD is empty");
    assertThat(VpdParser.parse(null).findings()).containsExactly("VPD is empty");
  }

  @Test
  void lspciEscaping() {
    assertThat(Vpd.lspciEscape("a\\b\u0001\u007fc")).isEqualTo("a\\\\b\\x01\\x7fc");
  }

  @Property(tries = 2000)
  void anyBytesDecodeWithoutThrowing(@ForAll @Size(max = 600) byte[] b) {
    Vpd v = VpdParser.parse(b);
    assertThat(v.endTag() || !v.findings().isEmpty()).isTrue();
  }

  @Property(tries = 200)
  void anyLargeInputGivesAFinding(@ForAll @Size(min = 30000, max = 70000) byte[] b) {
    Vpd v = VpdParser.parse(b);
    assertThat(v.endTag() || !v.findings().isEmpty()).isTrue();
  }
}
