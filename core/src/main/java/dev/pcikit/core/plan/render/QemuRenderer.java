package dev.pcikit.core.plan.render;

import dev.pcikit.core.export.JsonText;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.PlannedController;
import dev.pcikit.core.plan.PlannedDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * QEMU command-line arguments ({@code -device …}) for a plan, with ids as libvirt names them
 * ({@code pci.N}, {@code hostdevN}), and QMP {@code device_add} commands for hotplug.
 */
public final class QemuRenderer {
  private QemuRenderer() {}

  /** One {@code -device} value per controller and device, in creation order. */
  public static List<String> devices(Plan plan) {
    List<String> out = new ArrayList<>();
    for (PlannedController c : plan.controllers()) {
      out.add(controller(c));
    }
    for (PlannedDevice d : plan.devices()) {
      d.zpci()
          .ifPresent(
              z ->
                  out.add(
                      "zpci,uid="
                          + z.uid()
                          + ",fid="
                          + z.fid()
                          + ",target="
                          + d.alias()
                          + ",id=zpci"
                          + z.uid()));
      out.add(join(vfio(d)));
    }
    return out;
  }

  /**
   * One {@code -device VALUE} per line, nothing else: values hold no spaces, so {@code $(pcikit
   * plan … -o qemu)} splits into exactly the arguments QEMU needs.
   */
  public static String render(Plan plan) {
    StringBuilder b = new StringBuilder();
    for (String d : devices(plan)) {
      b.append("-device ").append(d).append('\n');
    }
    return b.toString();
  }

  static String controller(PlannedController c) {
    StringBuilder b = new StringBuilder(c.kind().qemuDevice());
    switch (c.kind()) {
      case SPAPR_PHB -> {
        b.append(",index=").append(c.phbIndex()).append(",id=").append(c.qemuId());
        if (c.numaNode() >= 0) {
          b.append(",numa_node=").append(c.numaNode());
        }
        if (!c.extendedConfig()) {
          b.append(",pcie-extended-configuration-space=off");
        }
      }
      case PCIE_ROOT_PORT -> {
        b.append(",port=")
            .append(String.format(Locale.ROOT, "0x%x", c.port()))
            .append(",chassis=")
            .append(c.chassis())
            .append(",id=")
            .append(c.qemuId());
        appendBusAddr(b, c);
      }
      case PCIE_TO_PCI_BRIDGE -> {
        b.append(",id=").append(c.qemuId());
        appendBusAddr(b, c);
      }
      case PCI_ROOT -> throw new IllegalStateException("the root bus is never created");
    }
    return b.toString();
  }

  private static void appendBusAddr(StringBuilder b, PlannedController c) {
    c.address()
        .ifPresent(
            a -> {
              b.append(",bus=").append(a.bus() == 0 ? "pcie.0" : "pci." + a.bus());
              b.append(",addr=").append(a.qemuAddr());
              if (c.multifunction()) {
                b.append(",multifunction=on");
              }
            });
  }

  /** vfio-pci properties of one device, in QEMU's order. */
  public static Map<String, String> vfio(PlannedDevice d) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("driver", "vfio-pci");
    p.put("host", d.host().address().toString());
    p.put("id", d.alias());
    p.put("bus", d.qemuBus());
    p.put("addr", d.address().qemuAddr());
    if (d.multifunction()) {
      p.put("multifunction", "on");
    }
    return p;
  }

  static String join(Map<String, String> props) {
    StringBuilder b = new StringBuilder();
    props.forEach(
        (k, v) -> {
          if (k.equals("driver")) {
            b.append(v);
          } else {
            b.append(',').append(k).append('=').append(v);
          }
        });
    return b.toString();
  }

  /**
   * QMP commands that hot-add the plan's devices. Functions other than 0 of a slot come first: the
   * guest scans a slot when function 0 appears.
   */
  public static List<String> qmpDeviceAdd(Plan plan) {
    List<String> out = new ArrayList<>();
    List<PlannedDevice> ordered = new ArrayList<>(plan.devices());
    ordered.sort(
        (x, y) -> {
          int c = Integer.compare(x.address().bus(), y.address().bus());
          if (c == 0) {
            c = Integer.compare(x.address().slot(), y.address().slot());
          }
          if (c == 0) {
            c = Integer.compare(fnOrder(x), fnOrder(y));
          }
          return c;
        });
    for (PlannedDevice d : ordered) {
      d.zpci()
          .ifPresent(
              z ->
                  out.add(
                      "{\"execute\":\"device_add\",\"arguments\":{\"driver\":\"zpci\",\"uid\":"
                          + z.uid()
                          + ",\"fid\":"
                          + z.fid()
                          + ",\"target\":\""
                          + d.alias()
                          + "\",\"id\":\"zpci"
                          + z.uid()
                          + "\"}}"));
      StringBuilder b = new StringBuilder("{\"execute\":\"device_add\",\"arguments\":{");
      boolean first = true;
      for (Map.Entry<String, String> e : vfio(d).entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        b.append(JsonText.string(e.getKey())).append(':').append(JsonText.string(e.getValue()));
      }
      out.add(b.append("}}").toString());
    }
    return out;
  }

  private static int fnOrder(PlannedDevice d) {
    return d.address().function() == 0 ? 8 : d.address().function();
  }
}
