package dev.pcikit.core.identity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes the VPD resource list (PCI Local Bus 3.0 appendix I; the sysfs {@code vpd} file). Pure
 * and bounded: never throws, never reads past the input or past the 32 KiB VPD address space
 * (15-bit VPD address, PCI_VPD_ADDR_MASK), and every step advances, so any input ends after at most
 * 32 Ki steps. Malformed input becomes {@link Vpd#findings()}.
 *
 * <p>Resources: a byte with bit 7 set is a large resource tag followed by a 16-bit little-endian
 * length ({@code 0x82} identifier string, {@code 0x90} VPD-R, {@code 0x91} VPD-W); otherwise a
 * small tag {@code 0bTTTTTLLL} ({@code 0x78}: end, type 0xf). VPD-R/W hold keywords: two ASCII
 * characters, a length byte, the value. The walk follows pciutils' ls-vpd.c {@code cap_vpd} (what
 * {@code lspci -vvv} prints), which stops at the first resource that runs past the end.
 */
final class VpdParser {
  /** The VPD address space: 15 address bits. */
  public static final int MAX_SIZE = 0x8000;

  private static final int TAG_ID_STRING = 0x82;
  private static final int TAG_VPD_R = 0x90;
  private static final int TAG_VPD_W = 0x91;
  private static final int SMALL_END = 0x0f;

  private VpdParser() {}

  public static Vpd parse(byte[] in) {
    byte[] data = in == null ? new byte[0] : in;
    List<String> findings = new ArrayList<>();
    int len = data.length;
    if (len > MAX_SIZE) {
      findings.add(
          "VPD is " + len + " bytes, more than the 32 KiB VPD address space; the rest is ignored");
      len = MAX_SIZE;
    }
    Optional<String> name = Optional.empty();
    Map<String, String> ro = new LinkedHashMap<>();
    Map<String, String> rw = new LinkedHashMap<>();
    Optional<Boolean> checksum = Optional.empty();
    boolean end = false;
    if (len == 0) {
      findings.add("VPD is empty");
    }
    int pos = 0;
    while (pos < len) {
      int tagAt = pos;
      int tag = data[pos] & 0xff;
      int resLen;
      if ((tag & 0x80) != 0) {
        if (pos + 3 > len) {
          findings.add(at(tagAt) + "large resource tag 0x" + hex(tag) + " cut off by the end");
          break;
        }
        resLen = (data[pos + 1] & 0xff) | (data[pos + 2] & 0xff) << 8;
        pos += 3;
      } else {
        resLen = tag & 7;
        tag >>= 3;
        pos += 1;
      }
      if (resLen > len - pos) {
        findings.add(
            at(tagAt)
                + "resource 0x"
                + hex(tag)
                + " claims "
                + resLen
                + " bytes but only "
                + (len - pos)
                + " remain");
        break;
      }
      if (tag == SMALL_END) {
        end = true;
        break;
      }
      switch (tag) {
        case TAG_ID_STRING -> {
          if (name.isEmpty()) {
            name = Optional.of(latin1(data, pos, resLen));
          }
        }
        case TAG_VPD_R, TAG_VPD_W -> {
          Map<String, String> target = tag == TAG_VPD_R ? ro : rw;
          int p = pos;
          int stop = pos + resLen;
          while (p + 3 <= stop) {
            String kw = latin1(data, p, 2);
            int kl = data[p + 2] & 0xff;
            p += 3;
            if (kl > stop - p) {
              findings.add(
                  at(p - 3)
                      + "keyword "
                      + Vpd.lspciEscape(kw)
                      + " claims "
                      + kl
                      + " bytes but its resource has "
                      + (stop - p)
                      + " left");
              break;
            }
            if (tag == TAG_VPD_R && kw.equals("RV") && kl >= 1 && checksum.isEmpty()) {
              int sum = 0;
              for (int i = 0; i <= p; i++) {
                sum += data[i];
              }
              checksum = Optional.of((sum & 0xff) == 0);
              if (!checksum.get()) {
                findings.add(at(p) + "VPD-R checksum (RV) is bad");
              }
            }
            target.putIfAbsent(kw, latin1(data, p, kl));
            p += kl;
          }
        }
        default ->
            findings.add(
                at(tagAt)
                    + "unknown "
                    + ((tag & 0x80) != 0 ? "large" : "small")
                    + " resource type 0x"
                    + hex(tag & ~0x80));
      }
      pos += resLen;
    }
    if (!end && len > 0) {
      findings.add("no VPD end tag (0x78) found");
    }
    return new Vpd(name, ro, rw, checksum, end, findings);
  }

  private static String at(int offset) {
    return "VPD offset 0x" + Integer.toHexString(offset) + ": ";
  }

  private static String hex(int v) {
    return String.format(Locale.ROOT, "%02x", v);
  }

  private static String latin1(byte[] d, int off, int n) {
    return new String(d, off, n, StandardCharsets.ISO_8859_1);
  }
}
