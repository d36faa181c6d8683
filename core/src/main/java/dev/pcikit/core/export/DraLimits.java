package dev.pcikit.core.export;

/**
 * The limits the Kubernetes API server enforces on resource.k8s.io/v1 ResourceSlices
 * (kubernetes/kubernetes pkg/apis/resource/types.go and
 * pkg/apis/resource/validation/validation.go).
 */
final class DraLimits {
  private DraLimits() {}

  /** ResourceSliceMaxDevices: spec.devices has at most 128 entries (64 with taints or counters). */
  public static final int MAX_DEVICES_PER_SLICE = 128;

  /** ResourceSliceMaxAttributesAndCapacitiesPerDevice: attributes + capacity of one device. */
  public static final int MAX_ATTRIBUTES_AND_CAPACITIES = 32;

  /** DeviceMaxIDLength: the C identifier after the domain of an attribute name. */
  public static final int MAX_ID_LENGTH = 32;

  /** DeviceMaxDomainLength: the DNS subdomain before the '/' of an attribute name. */
  public static final int MAX_DOMAIN_LENGTH = 63;

  /** DeviceAttributeMaxValueLength: string and version attribute values. */
  public static final int MAX_STRING_VALUE_LENGTH = 64;

  /** DriverNameMaxLength: spec.driver, a DNS subdomain. */
  public static final int MAX_DRIVER_NAME_LENGTH = 63;

  /** PoolNameMaxLength (= DNS1123SubdomainMaxLength): spec.pool.name. */
  public static final int MAX_POOL_NAME_LENGTH = 253;
}
