package dev.pcikit.core.holders;

import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads libvirt's QEMU domain XML without virsh: live domains from {@code ROOT/run/libvirt/qemu}
 * (written by libvirtd for each running domain, src/qemu/qemu_domain.c status XML: {@code
 * <domstatus state='running' pid='…'>} around the {@code <domain>}) and defined ones from {@code
 * ROOT/etc/libvirt/qemu}. StAX with DTDs and external entities off; only regular files, at most
 * {@link #MAX_FILES} of them of at most {@link #MAX_FILE_SIZE} bytes each. A file that is not
 * readable XML is reported in {@link Result#problems()} and skipped.
 */
final class LibvirtDomains {
  static final int MAX_FILES = 4096;
  static final long MAX_FILE_SIZE = 4L << 20;
  private static final int MAX_DEPTH = 64;

  /** The domains found and one line per file skipped. */
  public record Result(List<LibvirtDomain> domains, List<String> problems) {}

  private LibvirtDomains() {}

  public static Result read(Path root) {
    List<LibvirtDomain> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    scan(root.resolve("run/libvirt/qemu"), true, out, problems);
    scan(root.resolve("etc/libvirt/qemu"), false, out, problems);
    return new Result(out, problems);
  }

  private static void scan(Path dir, boolean live, List<LibvirtDomain> out, List<String> problems) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.xml")) {
      for (Path f : ds) {
        if (++n > MAX_FILES) {
          problems.add(dir + ": more than " + MAX_FILES + " files, the rest not read");
          break;
        }
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          continue; // no FIFOs, devices or links out of the tree
        }
        try {
          if (Files.size(f) > MAX_FILE_SIZE) {
            problems.add(f + ": larger than " + MAX_FILE_SIZE + " bytes, skipped");
            continue;
          }
          try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            parse(in, live, f).ifPresent(out::add);
          }
        } catch (IOException | XMLStreamException | RuntimeException e) {
          problems.add(f + ": not readable libvirt XML (" + e.getMessage() + "), skipped");
        }
      }
    } catch (IOException e) {
      problems.add(dir + ": " + e.getMessage());
    }
  }

  static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    return f;
  }

  /** One domain file; empty when it is not a domain (no {@code <domain>} element). */
  static Optional<LibvirtDomain> parse(InputStream in, boolean live, Path file)
      throws XMLStreamException {
    XMLStreamReader r = factory().createXMLStreamReader(in);
    try {
      String name = null;
      Integer pid = null;
      boolean sawDomain = false;
      Set<PciAddress> hostdevs = new HashSet<>();
      List<String> stack = new ArrayList<>();
      boolean pciHostdev = false;
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          String el = r.getLocalName();
          stack.add(el);
          if (stack.size() > MAX_DEPTH) {
            throw new XMLStreamException("nested deeper than " + MAX_DEPTH);
          }
          if (el.equals("domstatus") && stack.size() == 1) {
            pid = parseInt(r.getAttributeValue(null, "pid"), 10);
          } else if (el.equals("domain") && !sawDomain) {
            sawDomain = true;
          } else if (el.equals("name") && parent(stack).equals("domain") && name == null) {
            name = r.getElementText().strip();
            stack.remove(stack.size() - 1);
          } else if (el.equals("hostdev") && parent(stack).equals("devices")) {
            pciHostdev = "pci".equals(r.getAttributeValue(null, "type"));
          } else if (el.equals("address")
              && pciHostdev
              && parent(stack).equals("source")
              && stack.size() >= 3
              && stack.get(stack.size() - 3).equals("hostdev")) {
            address(r).ifPresent(hostdevs::add);
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT) {
          String el = stack.remove(stack.size() - 1);
          if (el.equals("hostdev")) {
            pciHostdev = false;
          }
        }
      }
      if (!sawDomain || name == null || name.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new LibvirtDomain(name, live, Optional.ofNullable(pid), hostdevs, file));
    } finally {
      r.close();
    }
  }

  private static String parent(List<String> stack) {
    return stack.size() >= 2 ? stack.get(stack.size() - 2) : "";
  }

  /** {@code <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>}. */
  private static Optional<PciAddress> address(XMLStreamReader r) {
    Integer d = parseInt(r.getAttributeValue(null, "domain"), 16);
    Integer b = parseInt(r.getAttributeValue(null, "bus"), 16);
    Integer s = parseInt(r.getAttributeValue(null, "slot"), 16);
    Integer f = parseInt(r.getAttributeValue(null, "function"), 16);
    if (b == null || s == null || f == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new PciAddress(d == null ? 0 : d, b, s, f));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Integer parseInt(String v, int radix) {
    if (v == null) {
      return null;
    }
    String s = v.strip();
    if (radix == 16 && (s.startsWith("0x") || s.startsWith("0X"))) {
      s = s.substring(2);
    }
    // libvirt also accepts decimal for these attributes, but writes hex with 0x; keep to that
    try {
      return s.length() > 8 ? null : Integer.parseInt(s, radix);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
