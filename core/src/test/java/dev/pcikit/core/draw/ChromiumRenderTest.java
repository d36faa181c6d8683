package dev.pcikit.core.draw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders every picture in headless Chromium (Debian's chromium package): the SVG must load without
 * XML errors, and the screenshot must show the boxes in their colours where the layout put them.
 * With -Dpcikit.regenerate=true the screenshots and SVGs are copied to docs/pictures/.
 */
class ChromiumRenderTest {
  static final Path DOCS = Path.of("../docs/pictures");

  @TempDir Path tmp;

  static String chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
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
    List<String> cmd = new ArrayList<>();
    cmd.add(chromium);
    cmd.addAll(
        List.of(
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
            .redirectErrorStream(false)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium timed out: " + cmd);
    }
    assertThat(p.exitValue()).as("chromium exit status for %s", args).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void everyPictureRendersInHeadlessChromium() throws Exception {
    String chromium = chromium();
    for (Map.Entry<String, Layout> e : Pictures.layouts().entrySet()) {
      String name = e.getKey();
      Layout layout = e.getValue();
      Path svg = tmp.resolve(name + ".svg");
      Files.writeString(svg, SvgWriter.write(layout), StandardCharsets.UTF_8);
      String url = svg.toUri().toString();

      String dom = run(chromium, List.of("--dump-dom", url));
      assertThat(dom).as(name + ": DOM").contains("<svg").doesNotContain("parsererror");

      Path png = tmp.resolve(name + ".png");
      run(
          chromium,
          List.of(
              "--screenshot=" + png,
              "--window-size=" + layout.width() + "," + layout.height(),
              url));
      BufferedImage img = ImageIO.read(png.toFile());
      assertThat(img).as(name + ": screenshot").isNotNull();
      assertThat(img.getWidth()).isEqualTo(layout.width());
      assertThat(img.getHeight()).isEqualTo(layout.height());
      for (Layout.Box b : layout.boxes()) {
        // Inside the box, clear of its border and text: the box's fill colour.
        int rgb = img.getRGB(b.x() + b.w() - 4, b.y() + b.h() / 2) & 0xffffff;
        assertThat(String.format("#%06x", rgb))
            .as("%s: fill of %s (%s)", name, b.id(), b.style())
            .isEqualTo(SvgWriter.fill(b.style()));
      }
      long ink = darkPixels(img);
      assertThat(ink).as(name + ": text drawn").isGreaterThan(layout.boxes().size() * 100L);
      // The demo hosts' pictures in docs/ come from the cli module's DemoPicturesTest; the plan
      // picture comes from here.
      if (Pictures.regenerate() && name.startsWith("plan")) {
        Files.createDirectories(DOCS);
        Files.copy(png, DOCS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(svg, DOCS.resolve(name + ".svg"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static long darkPixels(BufferedImage img) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int lum = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
        if (lum < 200) {
          n++;
        }
      }
    }
    return n;
  }
}
