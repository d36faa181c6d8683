package dev.pcikit.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.Lspci;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import dev.pcikit.sim.snapshot.Fixtures;
import dev.pcikit.sim.snapshot.SnapshotReader;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint's Device Serial Number and VPD serial against what the real {@code lspci -vvv}
 * prints for the same materialized tree: the x86 lab recordings (real Linux 6.1 under QEMU q35),
 * and a simulated host whose cards carry VPD.
 */
class FingerprintVsLspciTest {
  @TempDir Path dir;

  private static final Pattern DEVICE =
      Pattern.compile("^([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]) ");
  private static final Pattern DSN = Pattern.compile("Device Serial Number ([0-9a-f-]{23})");
  private static final Pattern SN = Pattern.compile("\\[SN\\] Serial number: (.*)$");

  record Serials(Optional<String> dsn, Optional<String> sn) {}

  /** Per device: the DSN and VPD SN lines lspci -vvv printed. */
  private Map<PciAddress, Serials> lspci(HostSysfs host) throws Exception {
    Path tree = Files.createTempDirectory(dir, "tree");
    TreeMaterializer.materialize(host, tree);
    Lspci.Result r = Lspci.run(tree, "-vvv", "-D");
    assertThat(r.exit()).as(r.err()).isZero();
    Map<PciAddress, Serials> out = new TreeMap<>();
    PciAddress cur = null;
    for (String line : r.out().split("\n")) {
      Matcher d = DEVICE.matcher(line);
      if (d.find()) {
        cur = PciAddress.parse(d.group(1));
        out.put(cur, new Serials(Optional.empty(), Optional.empty()));
        continue;
      }
      Matcher m = DSN.matcher(line);
      if (cur != null && m.find()) {
        out.put(cur, new Serials(Optional.of(m.group(1)), out.get(cur).sn()));
      }
      Matcher s = SN.matcher(line.strip());
      if (cur != null && s.find()) {
        out.put(cur, new Serials(out.get(cur).dsn(), Optional.of(s.group(1))));
      }
    }
    return out;
  }

  /** Compares every function; returns how many serials (DSN or VPD) lspci printed. */
  private int compare(HostSysfs host) throws Exception {
    Lspci.requireInstalled();
    Map<PciAddress, Serials> lspci = lspci(host);
    Map<PciAddress, DeviceIdentity> ours = new FingerprintReader(host).readAll();
    assertThat(ours.keySet()).isEqualTo(lspci.keySet());
    int serials = 0;
    for (Map.Entry<PciAddress, Serials> e : lspci.entrySet()) {
      Fingerprint fp = ours.get(e.getKey()).fingerprint();
      Serials s = e.getValue();
      // unprogrammed serials (all zero / all ones) are printed by lspci but are no identity
      Optional<String> dsn =
          s.dsn()
              .filter(
                  v ->
                      !v.equals("00-00-00-00-00-00-00-00") && !v.equals("ff-ff-ff-ff-ff-ff-ff-ff"));
      assertThat(fp.dsn()).as("DSN of %s", e.getKey()).isEqualTo(dsn);
      assertThat(fp.vpdSerial().map(Vpd::lspciEscape))
          .as("VPD SN of %s", e.getKey())
          .isEqualTo(
              s.sn()
                  .map(v -> v.replaceAll("(\\\\x00| )+$", ""))
                  .filter(v -> !v.isEmpty() && !v.matches("0+|F+")));
      serials += (s.dsn().isPresent() ? 1 : 0) + (s.sn().isPresent() ? 1 : 0);
      if (fp.dsn().isPresent() || fp.vpdSerial().isPresent()) {
        assertThat(fp.strength()).isEqualTo(Strength.SERIAL);
      }
    }
    return serials;
  }

  @Test
  void theX86LabRecordingsMatchLspci() throws Exception {
    HostSysfs initial =
        SnapshotReader.read(
            Fixtures.text("x86-q35-lab-initial.snapshot.txt"), "x86-q35-lab-initial.snapshot.txt");
    // QEMU's e1000e carries a DSN made from its MAC (hw/net/e1000e.c e1000e_gen_dsn)
    assertThat(compare(initial)).isEqualTo(LAB_INITIAL_SERIALS);
    compare(Fixtures.x86Lab());
  }

  /** The DSNs lspci prints for the lab's first recording (the four e1000e functions). */
  static final int LAB_INITIAL_SERIALS = 4;

  @Test
  void vpdAndDsnOnASimulatedHostMatchLspci() throws Exception {
    HostBuilder h = new HostBuilder("x86_64");
    String[] serials = {"MT2142X01234", "SN with spaces  ", "back\\slash\u0001", "0000000000"};
    for (int i = 0; i < serials.length; i++) {
      h.device(
              String.format("0000:00:%02x.0", i + 1),
              ConfigSpaceBuilder.endpoint(0x15b3, 0x101b)
                  .classCode(0x020000)
                  .express(PciePortType.ENDPOINT)
                  .capability(0x03, new byte[8])
                  .dsn(i % 2 == 0 ? 0x0011223344556677L + i : 0))
          .driver("mlx5_core");
    }
    SimKernel k = h.boot();
    for (int i = 0; i < serials.length; i++) {
      String d = k.tree().dir(String.format("0000:00:%02x.0", i + 1));
      k.host().putFile(d + "/vpd", vpd("ConnectX-6 Dx", serials[i]));
    }
    assertThat(compare(k.host())).isEqualTo(8); // 4 DSNs (two all-zero) and 4 VPD SNs
  }

  static byte[] vpd(String name, String serial) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
    o.write(0x82);
    o.write(n.length);
    o.write(0);
    o.writeBytes(n);
    byte[] sn = serial.getBytes(StandardCharsets.ISO_8859_1);
    int len = 3 + sn.length + 3 + 2;
    o.write(0x90);
    o.write(len);
    o.write(0);
    o.writeBytes(new byte[] {'S', 'N', (byte) sn.length});
    o.writeBytes(sn);
    o.writeBytes(new byte[] {'R', 'V', 2});
    int sum = 0;
    for (byte b : o.toByteArray()) {
      sum += b;
    }
    o.write(-sum & 0xff);
    o.write(0);
    o.write(0x78);
    return o.toByteArray();
  }
}
