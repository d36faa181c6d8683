package dev.pcikit.core.config;

import java.util.List;
import java.util.Optional;

/**
 * A decoded configuration space. Immutable; produced by {@link ConfigDecoder#decode(byte[])}.
 *
 * @param readableBytes how many bytes the reader got (64 for non-root sysfs readers)
 * @param coverage what that allowed to decode
 * @param header the 64-byte header; empty when not responding or truncated
 * @param capabilities standard capabilities in chain order (empty if not readable)
 * @param extendedCapabilities extended capabilities in chain order (empty if not readable)
 * @param findings problems met, in the order found; never thrown
 */
public record ConfigSpace(
    int readableBytes,
    ConfigCoverage coverage,
    Optional<ConfigHeader> header,
    List<Capability> capabilities,
    List<ExtendedCapability> extendedCapabilities,
    List<ConfigFinding> findings) {

  public ConfigSpace {
    capabilities = List.copyOf(capabilities);
    extendedCapabilities = List.copyOf(extendedCapabilities);
    findings = List.copyOf(findings);
  }

  public boolean responding() {
    return coverage != ConfigCoverage.NOT_RESPONDING;
  }

  /** Whether the standard capability list was readable (root, at least 256 bytes or partial). */
  public boolean capabilitiesReadable() {
    return coverage == ConfigCoverage.PARTIAL
        || coverage == ConfigCoverage.CONVENTIONAL
        || coverage == ConfigCoverage.EXTENDED;
  }

  public boolean extendedReadable() {
    return coverage == ConfigCoverage.EXTENDED;
  }

  /** The first standard capability of the given record type. */
  public <T extends Capability> Optional<T> capability(Class<T> type) {
    return capabilities.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** The first extended capability of the given record type. */
  public <T extends ExtendedCapability> Optional<T> extendedCapability(Class<T> type) {
    return extendedCapabilities.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  public Optional<Capability.Express> express() {
    return capability(Capability.Express.class);
  }

  public Optional<ExtendedCapability.Sriov> sriov() {
    return extendedCapability(ExtendedCapability.Sriov.class);
  }

  public Optional<ExtendedCapability.Acs> acs() {
    return extendedCapability(ExtendedCapability.Acs.class);
  }

  public Optional<ExtendedCapability.Ari> ari() {
    return extendedCapability(ExtendedCapability.Ari.class);
  }

  /** Whether DevCap advertises Function Level Reset; false when unknown. */
  public boolean flrCapable() {
    return express().map(Capability.Express::flr).orElse(false);
  }

  public boolean hasFinding(ConfigFinding.Kind kind) {
    return findings.stream().anyMatch(f -> f.kind() == kind);
  }
}
