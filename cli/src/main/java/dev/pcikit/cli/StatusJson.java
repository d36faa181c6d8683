package dev.pcikit.cli;

import dev.pcikit.core.host.Recovery;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sriov.DetachedVf;
import dev.pcikit.core.sriov.PfStatus;
import dev.pcikit.core.vfio.BindingRecords;
import dev.pcikit.core.vfio.DeviceFacts;
import dev.pcikit.core.vfio.PersistedBindings;
import dev.pcikit.core.vfio.VfioEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON/YAML documents of {@code vfio status}, {@code sriov status} and {@code recover}, each
 * with a versioned schema name: the same facts as the tables.
 */
final class StatusJson {
  private StatusJson() {}

  static ObjectNode vfio(VfioEngine.Status st, Path persistedFile, Path driverctlDir) {
    ObjectNode doc = Structured.document("pcikit/vfio-status/v1");
    ArrayNode devices = doc.putArray("vfioDevices");
    for (DeviceFacts d : st.vfioDevices()) {
      ObjectNode n = devices.addObject();
      n.put("address", d.address().toString());
      n.put("ids", d.ids());
      n.put("driver", d.binding().driver());
      n.put("override", d.binding().override());
      if (d.iommuGroup() == null) {
        n.putNull("iommuGroup");
      } else {
        n.put("iommuGroup", d.iommuGroup());
      }
      strings(n.putArray("openBy"), st.openGroups().getOrDefault(d.iommuGroup(), List.of()));
      BindingRecords.Record r = st.records().get(d.address());
      n.put("boundByPcikit", r != null);
      n.put("priorDriver", r == null ? null : r.prior().driver());
      n.put("persisted", st.persisted().containsKey(d.address()));
    }
    doc.put("persistedFile", persistedFile.toString());
    ArrayNode persisted = doc.putArray("persisted");
    for (PersistedBindings.Entry e : st.persisted().values()) {
      persisted
          .addObject()
          .put("address", e.address().toString())
          .put("ids", e.ids())
          .put("driver", e.driver());
    }
    doc.put("driverctlDir", driverctlDir.toString());
    ArrayNode driverctl = doc.putArray("driverctl");
    for (Map.Entry<PciAddress, String> e : st.driverctl().entrySet()) {
      driverctl.addObject().put("address", e.getKey().toString()).put("driver", e.getValue());
    }
    if (st.pendingJournal().isEmpty()) {
      doc.putNull("interrupted");
    } else {
      var j = st.pendingJournal().get();
      doc.putObject("interrupted")
          .put("operation", j.op().word())
          .put("devices", j.transitions().size())
          .put("step", j.step());
    }
    return doc;
  }

  static ObjectNode sriov(List<PfStatus> pfs, List<DetachedVf> detached) {
    ObjectNode doc = Structured.document("pcikit/sriov-status/v1");
    ArrayNode list = doc.putArray("pfs");
    for (PfStatus pf : pfs) {
      ObjectNode n = list.addObject();
      n.put("address", pf.address().toString());
      n.put("numVfs", pf.numVfs());
      n.put("totalVfs", pf.totalVfs());
      n.put("autoprobe", pf.autoprobe());
      n.put("driver", pf.driver());
      ArrayNode vfs = n.putArray("vfs");
      for (PfStatus.VfStatus vf : pf.vfs()) {
        vf(vfs.addObject().put("index", vf.index()), vf.address(), vf.driver(), vf.group())
            .putArray("openBy")
            .addAll(strings(vf.heldBy()));
      }
    }
    ArrayNode det = doc.putArray("detachedVfs");
    for (DetachedVf vf : detached) {
      vf(det.addObject().put("vfn", vf.vfn()), vf.address(), vf.driver(), vf.group())
          .putArray("openBy")
          .addAll(strings(vf.heldBy()));
    }
    return doc;
  }

  static ObjectNode recovered(List<Recovery.Recovered> done) {
    ObjectNode doc = Structured.document("pcikit/recover/v1");
    ArrayNode list = doc.putArray("recovered");
    for (Recovery.Recovered r : done) {
      list.addObject().put("operation", r.operation().name()).put("summary", r.summary());
    }
    return doc;
  }

  /** A VF's address, driver and IOMMU group. */
  private static ObjectNode vf(ObjectNode v, PciAddress a, String driver, Integer group) {
    v.put("address", a.toString());
    v.put("driver", driver);
    group(v, group);
    return v;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = Structured.json().createArrayNode();
    values.forEach(a::add);
    return a;
  }

  private static void group(ObjectNode n, Integer group) {
    if (group == null) {
      n.putNull("iommuGroup");
    } else {
      n.put("iommuGroup", group);
    }
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
