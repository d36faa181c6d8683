package dev.pcikit.core.identity;

import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a recorded device on the current host by its fingerprint. The strongest anchor the
 * recording has decides (DSN, VPD serial, zPCI, location code, slot, path), always together with
 * vendor/device/subsystem/class; when several functions match the anchor (two cards with the same
 * serial: firmware bugs exist), the recorded path breaks the tie, and if that does not, nothing is
 * chosen. A device is never taken for the recorded one on a weaker anchor than the recording's: a
 * card with another serial at the recorded path is a different card.
 */
public final class FingerprintResolver {
  private FingerprintResolver() {}

  public static Resolution resolve(
      PciAddress recorded, Fingerprint fp, Map<PciAddress, DeviceIdentity> host) {
    List<PciAddress> candidates = new ArrayList<>();
    for (DeviceIdentity d : host.values()) {
      if (matches(fp, d.fingerprint())) {
        candidates.add(d.address());
      }
    }
    if (candidates.size() > 1) {
      List<PciAddress> samePath =
          candidates.stream()
              .filter(a -> host.get(a).fingerprint().path().equals(fp.path()))
              .toList();
      if (samePath.size() != 1) {
        return new Resolution(
            Resolution.Kind.AMBIGUOUS,
            recorded,
            Optional.empty(),
            Optional.empty(),
            recorded
                + ": "
                + candidates.size()
                + " devices match its fingerprint ("
                + anchor(fp)
                + "): "
                + candidates
                + "; none can be told to be the recorded one");
      }
      candidates = samePath;
    }
    Optional<Fingerprint> there =
        Optional.ofNullable(host.get(recorded)).map(DeviceIdentity::fingerprint);
    if (candidates.size() == 1) {
      PciAddress now = candidates.get(0);
      if (now.equals(recorded)) {
        return new Resolution(
            Resolution.Kind.SAME,
            recorded,
            Optional.of(now),
            Optional.empty(),
            recorded + ": same device (" + anchor(fp) + ")");
      }
      return new Resolution(
          Resolution.Kind.MOVED,
          recorded,
          Optional.of(now),
          there,
          recorded
              + ": the device ("
              + anchor(fp)
              + ") is now at "
              + now
              + there
                  .map(t -> "; " + recorded + " is now another device (" + t.ids() + ")")
                  .orElse(""));
    }
    if (there.isPresent()) {
      return new Resolution(
          Resolution.Kind.REPLACED,
          recorded,
          Optional.empty(),
          there,
          recorded
              + ": a different device is at the recorded address (recorded "
              + anchor(fp)
              + ", found "
              + anchor(there.get())
              + "); not bound");
    }
    return new Resolution(
        Resolution.Kind.GONE,
        recorded,
        Optional.empty(),
        Optional.empty(),
        recorded + ": the device (" + anchor(fp) + ") is not present");
  }

  /** Whether {@code now} is the device {@code rec} recorded, by rec's strongest anchor. */
  public static boolean matches(Fingerprint rec, Fingerprint now) {
    if (rec.vendor() != now.vendor()
        || rec.device() != now.device()
        || rec.subsystemVendor() != now.subsystemVendor()
        || rec.subsystemDevice() != now.subsystemDevice()
        || rec.classCode() != now.classCode()) {
      return false;
    }
    if (rec.dsn().isPresent()) {
      return rec.dsn().equals(now.dsn()) && rec.position().equals(now.position());
    }
    if (rec.vpdSerial().isPresent()) {
      return rec.vpdSerial().equals(now.vpdSerial()) && rec.position().equals(now.position());
    }
    if (rec.zpci().isPresent()) {
      return rec.zpci().equals(now.zpci());
    }
    if (rec.locationCode().isPresent()) {
      return rec.locationCode().equals(now.locationCode()) && rec.position().equals(now.position());
    }
    if (rec.slot().isPresent()) {
      return rec.slot().equals(now.slot()) && rec.position().equals(now.position());
    }
    return rec.path().equals(now.path());
  }

  /** The anchor a match uses, for messages: "DSN 00-…", "VPD SN …", "slot 3", "path …". */
  public static String anchor(Fingerprint fp) {
    String ids = String.format(Locale.ROOT, "%04x:%04x", fp.vendor(), fp.device());
    if (fp.dsn().isPresent()) {
      return ids + " DSN " + fp.dsn().get() + " function " + fp.position();
    }
    if (fp.vpdSerial().isPresent()) {
      return ids
          + " VPD SN "
          + Vpd.lspciEscape(fp.vpdSerial().get())
          + " function "
          + fp.position();
    }
    if (fp.zpci().isPresent()) {
      return ids + " zPCI " + fp.zpci().get();
    }
    if (fp.locationCode().isPresent()) {
      return ids + " loc " + fp.locationCode().get() + " " + fp.position();
    }
    if (fp.slot().isPresent()) {
      return ids + " slot " + fp.slot().get() + " " + fp.position();
    }
    return ids + " path " + fp.path();
  }
}
