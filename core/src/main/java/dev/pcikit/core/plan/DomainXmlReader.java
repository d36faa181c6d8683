package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads what the planner needs from a libvirt domain XML with the JDK's StAX parser. DTDs are
 * refused outright (no entity of any kind is ever expanded, so neither external entities nor
 * expansion bombs can do anything), and input size and nesting depth are bounded.
 */
public final class DomainXmlReader {
  /** libvirt domains are a few KiB; 4 MiB leaves room for hundreds of devices. */
  public static final int MAX_CHARS = 4 * 1024 * 1024;

  static final int MAX_DEPTH = 64;

  private DomainXmlReader() {}

  public static ExistingDomain parse(String xml) {
    if (xml.length() > MAX_CHARS) {
      throw bad("domain XML is larger than " + MAX_CHARS / (1024 * 1024) + " MiB");
    }
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, false);
    try {
      XMLStreamReader r = f.createXMLStreamReader(new StringReader(xml));
      try {
        return read(r, xml);
      } catch (IllegalArgumentException e) {
        throw bad("domain XML: " + e.getMessage());
      } finally {
        r.close();
      }
    } catch (XMLStreamException e) {
      throw bad("domain XML is not well-formed: " + oneLine(e.getMessage()));
    }
  }

  private static ExistingDomain read(XMLStreamReader r, String xml) throws XMLStreamException {
    Deque<String> path = new ArrayDeque<>();
    String name = "";
    StringBuilder nameText = null;
    Optional<MachineType> machine = Optional.empty();
    List<ExistingController> controllers = new ArrayList<>();
    Set<GuestAddress> used = new HashSet<>();
    Set<PciAddress> sources = new HashSet<>();
    Set<Integer> uids = new HashSet<>();
    Set<Long> fids = new HashSet<>();
    int hostdevs = 0;
    ControllerBuilder controller = null;
    boolean sawRoot = false;

    while (r.hasNext()) {
      int ev = r.next();
      switch (ev) {
        case XMLStreamConstants.DTD ->
            throw bad("domain XML must not contain a DOCTYPE (DTDs and entities are refused)");
        case XMLStreamConstants.ENTITY_REFERENCE ->
            throw bad("domain XML must not use entity references");
        case XMLStreamConstants.START_ELEMENT -> {
          String el = r.getLocalName();
          if (path.isEmpty()) {
            if (sawRoot || !el.equals("domain")) {
              throw bad("not a libvirt domain: root element is <" + el + ">");
            }
            sawRoot = true;
          }
          path.push(el);
          if (path.size() > MAX_DEPTH) {
            throw bad("domain XML is nested deeper than " + MAX_DEPTH + " elements");
          }
          String parent = parentOf(path);
          int depth = path.size();
          if (depth == 2 && el.equals("name")) {
            nameText = new StringBuilder();
          } else if (depth == 3 && el.equals("type") && parent.equals("os")) {
            String m = r.getAttributeValue(null, "machine");
            if (m != null) {
              machine = Optional.of(MachineType.parse(m));
            }
          } else if (depth == 3 && el.equals("controller")) {
            controller = null;
            if ("pci".equals(r.getAttributeValue(null, "type"))) {
              controller = new ControllerBuilder();
              controller.index = intAttr(r, "index", 0);
              controller.model = Optional.ofNullable(r.getAttributeValue(null, "model")).orElse("");
            }
          } else if (depth == 3 && el.equals("hostdev")) {
            hostdevs++;
          } else if (depth == 4 && controller != null && el.equals("model")) {
            controller.modelName = Optional.ofNullable(r.getAttributeValue(null, "name"));
          } else if (depth == 4 && controller != null && el.equals("target")) {
            String ti = r.getAttributeValue(null, "index");
            if (ti != null) {
              controller.targetIndex = OptionalInt.of(number(ti, "target index"));
            }
          } else if (el.equals("address") && depth == 4 && path.contains("devices")) {
            if ("pci".equals(r.getAttributeValue(null, "type"))
                && r.getAttributeValue(null, "slot") != null) {
              GuestAddress a =
                  new GuestAddress(
                      intAttr(r, "bus", 0), intAttr(r, "slot", 0), intAttr(r, "function", 0));
              if (!used.add(a)) {
                throw bad("domain XML uses guest PCI address " + a + " twice");
              }
              if (controller != null) {
                controller.address = Optional.of(a);
              }
            }
          } else if (el.equals("address") && depth == 5 && parent.equals("source")) {
            if (path.stream().skip(2).findFirst().orElse("").equals("hostdev")) {
              sources.add(
                  new PciAddress(
                      intAttr(r, "domain", 0),
                      intAttr(r, "bus", 0),
                      intAttr(r, "slot", 0),
                      intAttr(r, "function", 0)));
            }
          } else if (el.equals("zpci") && parent.equals("address")) {
            String uid = r.getAttributeValue(null, "uid");
            String fid = r.getAttributeValue(null, "fid");
            if (uid != null) {
              uids.add(number(uid, "zpci uid"));
            }
            if (fid != null) {
              fids.add(longNumber(fid, "zpci fid"));
            }
          }
        }
        case XMLStreamConstants.CHARACTERS -> {
          if (nameText != null) {
            nameText.append(r.getText());
          }
        }
        case XMLStreamConstants.END_ELEMENT -> {
          String el = path.pop();
          if (path.size() == 1 && el.equals("name") && nameText != null) {
            name = nameText.toString().strip();
            nameText = null;
          } else if (path.size() == 2 && el.equals("controller") && controller != null) {
            controllers.add(controller.build());
            controller = null;
          }
        }
        default -> {}
      }
    }
    if (!sawRoot) {
      throw bad("domain XML is empty");
    }
    return new ExistingDomain(name, machine, controllers, used, sources, uids, fids, hostdevs, xml);
  }

  private static String parentOf(Deque<String> path) {
    var it = path.iterator();
    it.next();
    return it.hasNext() ? it.next() : "";
  }

  private static int intAttr(XMLStreamReader r, String attr, int dflt) {
    String v = r.getAttributeValue(null, attr);
    return v == null ? dflt : number(v, attr);
  }

  static int number(String v, String what) {
    long n = longNumber(v, what);
    if (n > Integer.MAX_VALUE) {
      throw bad("domain XML: " + what + " '" + v + "' is out of range");
    }
    return (int) n;
  }

  static long longNumber(String v, String what) {
    String t = v.strip();
    try {
      long n =
          t.startsWith("0x") || t.startsWith("0X")
              ? Long.parseLong(t.substring(2), 16)
              : Long.parseLong(t);
      if (n < 0 || n > 0xffffffffL) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw bad("domain XML: " + what + " '" + v + "' is not a number");
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }

  private static PcikitException bad(String msg) {
    return new PcikitException(Failure.BAD_INPUT, msg);
  }

  private static final class ControllerBuilder {
    int index;
    String model = "";
    Optional<String> modelName = Optional.empty();
    OptionalInt targetIndex = OptionalInt.empty();
    Optional<GuestAddress> address = Optional.empty();

    ExistingController build() {
      return new ExistingController(index, model, modelName, targetIndex, address);
    }
  }
}
