/**
 * The machine-readable documents of pcikit: the JSON (and YAML) every front end prints, each object
 * carrying a versioned {@code "schema": "pcikit/NAME/v1"} field first, and the guest spec reader.
 * The CLI's {@code -o json} and the agent's HTTP answers are built here, so the two give the same
 * document for the same host.
 *
 * <ul>
 *   <li>{@link dev.pcikit.formats.Documents}: a new document, and writing one as JSON or YAML.
 *   <li>{@link dev.pcikit.formats.InventoryJson}: {@code pcikit/inventory/v1} ({@code list}) and
 *       {@code pcikit/groups/v1} ({@code groups}).
 *   <li>{@link dev.pcikit.formats.DeviceJson}: {@code pcikit/device/v1} ({@code show}).
 *   <li>{@link dev.pcikit.formats.CheckJson}: {@code pcikit/check/v1} ({@code check}).
 *   <li>{@link dev.pcikit.formats.StatusJson}: {@code pcikit/vfio-status/v1}, {@code
 *       pcikit/sriov-status/v1} and {@code pcikit/recover/v1}.
 *   <li>{@link dev.pcikit.formats.DriversJson}: {@code pcikit/drivers/v1} ({@code drivers}).
 *   <li>{@link dev.pcikit.formats.IdentityJson}: the fingerprint and holder objects these share.
 *   <li>{@link dev.pcikit.formats.GuestSpecReader}: a guest spec (YAML or JSON) to a {@link
 *       dev.pcikit.core.plan.GuestSpec}, unknown keys refused.
 * </ul>
 *
 * The schemas are documented in docs/ (one page per command); a field is never removed or changed
 * in meaning within one schema version.
 */
package dev.pcikit.formats;
