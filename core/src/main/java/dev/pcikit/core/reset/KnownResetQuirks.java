package dev.pcikit.core.reset;

import java.util.List;
import java.util.Optional;

/**
 * A small curated list of devices known not to reset cleanly between guests, each with its source.
 * Not exhaustive: a device not listed is not thereby known to be good.
 */
public final class KnownResetQuirks {
  /** One listed device model. */
  public record Quirk(int vendor, int device, String problem, String source) {}

  private static final String VENDOR_RESET =
      "github.com/gnif/vendor-reset src/device-db.h (the 'AMD reset bug': the GPU is not brought"
          + " back by FLR or bus reset; vendor-reset adds a device-specific reset)";
  private static final String NO_FLR =
      "Linux drivers/pci/quirks.c quirk_no_flr ('FLR may cause the following devices to hang');"
          + " the kernel leaves flr out of reset_method";
  private static final String NO_BUS_RESET =
      "Linux drivers/pci/quirks.c quirk_no_bus_reset ('Some Atheros AR9xxx and QCA988x chips do not"
          + " behave after a bus reset'); the kernel leaves bus out of reset_method";

  private static final String AMD_GPU =
      "AMD GPU that does not come back from a reset between guests: the second guest start fails"
          + " or hangs";

  static final List<Quirk> ALL =
      List.of(
          new Quirk(0x1002, 0x67df, AMD_GPU + " (Polaris 10, RX 470/480/570/580)", VENDOR_RESET),
          new Quirk(0x1002, 0x67ef, AMD_GPU + " (Polaris 11, RX 460/560)", VENDOR_RESET),
          new Quirk(0x1002, 0x699f, AMD_GPU + " (Polaris 12, RX 550)", VENDOR_RESET),
          new Quirk(0x1002, 0x687f, AMD_GPU + " (Vega 10, RX Vega 56/64)", VENDOR_RESET),
          new Quirk(0x1002, 0x66af, AMD_GPU + " (Vega 20, Radeon VII)", VENDOR_RESET),
          new Quirk(0x1002, 0x731f, AMD_GPU + " (Navi 10, RX 5600/5700)", VENDOR_RESET),
          new Quirk(0x1002, 0x7340, AMD_GPU + " (Navi 14, RX 5500)", VENDOR_RESET),
          new Quirk(0x1022, 0x1487, "FLR hangs it (Starship/Matisse HD Audio)", NO_FLR),
          new Quirk(0x1022, 0x148c, "FLR hangs it (Starship USB 3.0)", NO_FLR),
          new Quirk(0x1022, 0x149c, "FLR hangs it (Matisse USB 3.0)", NO_FLR),
          new Quirk(0x1022, 0x7901, "FLR leaves it unusable in the guest (FCH SATA/AHCI)", NO_FLR),
          new Quirk(0x8086, 0x1502, "FLR hangs it (82579LM Gigabit Ethernet)", NO_FLR),
          new Quirk(0x8086, 0x1503, "FLR hangs it (82579V Gigabit Ethernet)", NO_FLR),
          new Quirk(0x168c, 0x0030, "misbehaves after a bus reset (Atheros AR93xx)", NO_BUS_RESET),
          new Quirk(0x168c, 0x0032, "misbehaves after a bus reset (Atheros AR9485)", NO_BUS_RESET),
          new Quirk(0x168c, 0x0033, "misbehaves after a bus reset (Atheros AR958x)", NO_BUS_RESET),
          new Quirk(0x168c, 0x0034, "misbehaves after a bus reset (Atheros AR9462)", NO_BUS_RESET),
          new Quirk(
              0x168c, 0x003c, "misbehaves after a bus reset (Atheros QCA988x)", NO_BUS_RESET));

  private KnownResetQuirks() {}

  public static Optional<Quirk> find(int vendor, int device) {
    return ALL.stream().filter(q -> q.vendor() == vendor && q.device() == device).findFirst();
  }

  public static List<Quirk> all() {
    return ALL;
  }
}
