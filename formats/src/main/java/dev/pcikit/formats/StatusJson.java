package dev.pcikit.formats;

import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.host.Recovery;
import dev.pcikit.core.identity.DeviceIdentity;
import dev.pcikit.core.identity.FingerprintReader;
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
 * The status documents of {@code vfio status} ({@value #VFIO_SCHEMA}), {@code sriov status}
 * ({@value #SRIOV_SCHEMA}) and {@code recover} ({@value #RECOVER_SCHEMA}): the same facts as the
 * tables.
 */
public final class StatusJson {
  /** The schema name of the VFIO status document. */
  public static final String VFIO_SCHEMA = "pcikit/vfio-status/v1";

  /** The schema name of the SR-IOV status document. */
  public static final String SRIOV_SCHEMA = "pcikit/sriov-status/v1";

  /** The schema name of the recovery document. */
  public static final String RECOVER_SCHEMA = "pcikit/recover/v1";

  private StatusJson() {}

  /**
   * The VFIO status document: devices on VFIO drivers (binding, group, holders, the prior driver
   * when pcikit bound it, fingerprint), persisted bindings, driverctl overrides, and the
   * interrupted operation if any.
   *
   * @param st the engine's status
   * @param persistedFile the persisted-bindings file it was read from
   * @param driverctlDir driverctl's override directory
   * @param holders who holds the VFIO groups open
   * @param fingerprints reads the fingerprints of the VFIO devices, the only ones printed (null
   *     {@code fingerprint} where unreadable)
   * @return the document
   */
  public static ObjectNode vfio(
      VfioEngine.Status st,
      Path persistedFile,
      Path driverctlDir,
      Holders holders,
      FingerprintReader fingerprints) {
    ObjectNode doc = Documents.document(VFIO_SCHEMA);
    Map<PciAddress, DeviceIdentity> ids =
        fingerprints.readEach(st.vfioDevices().stream().map(DeviceFacts::address).toList());
    ArrayNode devices = doc.putArray("vfioDevices");
    for (DeviceFacts d : st.vfioDevices()) {
      ObjectNode n = devices.addObject();
      n.put("address", d.address().toString());
      n.put("ids", d.ids());
      n.put("driver", d.binding().driver());
      n.put("override", d.binding().override());
      group(n, d.iommuGroup());
      strings(n.putArray("openBy"), st.openGroups().getOrDefault(d.iommuGroup(), List.of()));
      BindingRecords.Record r = st.records().get(d.address());
      n.put("boundByPcikit", r != null);
      n.put("priorDriver", r == null ? null : r.prior().driver());
      n.put("persisted", st.persisted().containsKey(d.address()));
      List<GroupHolder> who =
          d.iommuGroup() == null ? List.of() : holders.of(d.address(), d.iommuGroup());
      IdentityJson.holders(n.putArray("heldBy"), who);
      n.put(
          "libvirtDefinedDomain", holders.assignedTo(d.address()).map(x -> x.name()).orElse(null));
      DeviceIdentity id = ids.get(d.address());
      if (id != null) {
        IdentityJson.fingerprint(n.putObject("fingerprint"), id.fingerprint());
      } else {
        n.putNull("fingerprint");
      }
    }
    doc.put("persistedFile", persistedFile.toString());
    ArrayNode persisted = doc.putArray("persisted");
    for (PersistedBindings.Entry e : st.persisted().values()) {
      ObjectNode n =
          persisted
              .addObject()
              .put("address", e.address().toString())
              .put("ids", e.ids())
              .put("driver", e.driver());
      if (e.fingerprint().isPresent()) {
        IdentityJson.fingerprint(n.putObject("fingerprint"), e.fingerprint().get());
      } else {
        n.putNull("fingerprint");
      }
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

  /**
   * The SR-IOV status document: per PF its VF counts, autoprobe, driver and VFs; then the VFs whose
   * PF this kernel cannot see (s390 zPCI).
   *
   * @param pfs the PFs
   * @param detached the detached VFs
   * @return the document
   */
  public static ObjectNode sriov(List<PfStatus> pfs, List<DetachedVf> detached) {
    ObjectNode doc = Documents.document(SRIOV_SCHEMA);
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
        ObjectNode v =
            vf(vfs.addObject().put("index", vf.index()), vf.address(), vf.driver(), vf.group());
        strings(v.putArray("openBy"), vf.heldBy());
      }
    }
    ArrayNode det = doc.putArray("detachedVfs");
    for (DetachedVf vf : detached) {
      ObjectNode v =
          vf(det.addObject().put("vfn", vf.vfn()), vf.address(), vf.driver(), vf.group());
      strings(v.putArray("openBy"), vf.heldBy());
    }
    return doc;
  }

  /**
   * The recovery document: what taking the lock finished or undid, one entry per operation.
   *
   * @param done the recovered operations, in the order they were recovered
   * @return the document
   */
  public static ObjectNode recovered(List<Recovery.Recovered> done) {
    ObjectNode doc = Documents.document(RECOVER_SCHEMA);
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
