package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pcikit.core.draw.HostPicture;
import dev.pcikit.core.draw.Layout;
import dev.pcikit.core.draw.SvgWriter;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.ids.PciIds;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.sim.demo.DemoHosts;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The picture of every demo host (`pcikit --host demo:NAME draw host`): golden SVGs, well-formed
 * XML with no overlapping boxes and fonts of at least 11 px, and a headless Chromium rendering
 * whose screenshot is the host's picture in docs/pictures/ (-Dpcikit.regenerate=true rewrites
 * both). Names come from a checked-in pci.ids subset, so the pictures do not depend on the machine.
 */
class DemoPicturesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/draw");
  static final Path DOCS = Path.of("../docs/pictures");

  @TempDir Path tmp;

  static boolean regenerate() {
    return Boolean.getBoolean("pcikit.regenerate");
  }

  static HostPicture picture(String name) throws Exception {
    Inventory inv = new InventoryReader(DemoHosts.load(name), InventoryReader.Detail.FULL).read();
    Path ids = Path.of(DemoPicturesTest.class.getResource("/demo-pci.ids").toURI());
    DeviceNames names = new DeviceNames(PciIds.load(ids));
    return new HostPicture(
        "PCI topology of demo:" + name, inv, d -> names.shortName(d.vendor(), d.device()), false);
  }

  @Test
  void goldenAndReadable() throws Exception {
    for (String name : DemoHosts.NAMES) {
      String svg = picture(name).svg();
      Path file = GOLDEN.resolve("demo-" + name + ".svg");
      if (regenerate()) {
        Files.createDirectories(GOLDEN);
        Files.writeString(file, svg, StandardCharsets.UTF_8);
      }
      assertThat(svg)
          .as(name + " (regenerate with -Dpcikit.regenerate=true)")
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
      checkReadable(name, svg);
    }
  }

  /** Well-formed (StAX, DTDs off), no two node boxes overlapping, every font ≥ 11 px. */
  static void checkReadable(String name, String svg) throws Exception {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XMLStreamReader r = f.createXMLStreamReader(new StringReader(svg));
    List<double[]> boxes = new ArrayList<>();
    double rootFont = 16;
    int texts = 0;
    while (r.hasNext()) {
      if (r.next() != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      String fs = r.getAttributeValue(null, "font-size");
      if (r.getLocalName().equals("svg")) {
        rootFont = Double.parseDouble(fs);
      } else if (r.getLocalName().equals("text")) {
        texts++;
        assertThat(fs == null ? rootFont : Double.parseDouble(fs)).isGreaterThanOrEqualTo(11);
      } else if (r.getLocalName().equals("rect")
          && "node".equals(r.getAttributeValue(null, "class"))) {
        boxes.add(
            new double[] {
              Double.parseDouble(r.getAttributeValue(null, "x")),
              Double.parseDouble(r.getAttributeValue(null, "y")),
              Double.parseDouble(r.getAttributeValue(null, "width")),
              Double.parseDouble(r.getAttributeValue(null, "height"))
            });
      }
    }
    assertThat(texts).isGreaterThan(boxes.size());
    for (int i = 0; i < boxes.size(); i++) {
      for (int j = i + 1; j < boxes.size(); j++) {
        double[] a = boxes.get(i);
        double[] b = boxes.get(j);
        boolean overlap =
            a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
        assertThat(overlap).as("%s: boxes %d and %d overlap", name, i, j).isFalse();
      }
    }
  }

  static String chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String n : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, n);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    if (System.getenv("CI") != null) {
      fail("chromium is not installed (scripts/install-deps.sh installs it)");
    }
    Assumptions.assumeTrue(false, "chromium not installed");
    return null;
  }

  private String run(String chromium, List<String> args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
    cmd.addAll(args);
    Path out = Files.createTempFile(tmp, "chromium", ".out");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium timed out");
    }
    assertThat(p.exitValue()).as("chromium exit status").isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void demoHostPicturesRenderInHeadlessChromium() throws Exception {
    String chromium = chromium();
    for (String name : DemoHosts.NAMES) {
      Layout layout = picture(name).layout();
      Path svg = tmp.resolve(name + ".svg");
      Files.writeString(svg, SvgWriter.write(layout), StandardCharsets.UTF_8);
      String url = svg.toUri().toString();
      assertThat(run(chromium, List.of("--dump-dom", url)))
          .as(name)
          .contains("<svg")
          .doesNotContain("parsererror");
      Path png = tmp.resolve(name + ".png");
      run(
          chromium,
          List.of(
              "--screenshot=" + png,
              "--window-size=" + layout.width() + "," + layout.height(),
              url));
      BufferedImage img = ImageIO.read(png.toFile());
      assertThat(img.getWidth()).isEqualTo(layout.width());
      assertThat(img.getHeight()).isEqualTo(layout.height());
      for (Layout.Box b : layout.boxes()) {
        int rgb = img.getRGB(b.x() + b.w() - 4, b.y() + b.h() / 2) & 0xffffff;
        assertThat(String.format("#%06x", rgb))
            .as("%s: fill of %s", name, b.id())
            .isEqualTo(SvgWriter.fill(b.style()));
      }
      if (regenerate()) {
        Files.createDirectories(DOCS);
        Files.copy(png, DOCS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(svg, DOCS.resolve(name + ".svg"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
