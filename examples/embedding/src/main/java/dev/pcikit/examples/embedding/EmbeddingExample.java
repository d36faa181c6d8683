package dev.pcikit.examples.embedding;

import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.check.DeviceReport;
import dev.pcikit.core.check.Finding;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.host.Host;
import dev.pcikit.core.host.LockedHost;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.TransactionResult;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.sim.SimulatedHost;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * pcikit embedded in a Java program, no CLI: open a host, list its devices, check readiness, bind
 * one device to VFIO as a transaction and release it again, printing each typed outcome.
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(SimulatedHost.open("demo:x86-workstation"), System.out));
  }

  /** The walk-through on {@code host}; returns 0 when the bind and the release both committed. */
  public static int run(Host host, PrintStream out) throws Exception {
    PciAddress nic = PciAddress.parse("0000:03:00.0");

    Inventory inventory = host.inventory(InventoryReader.Detail.FULL);
    for (PciDevice d : inventory.devices()) {
      out.printf("%s  class %06x  driver %s%n", d.address(), d.classCode(), d.driver().orElse("-"));
    }

    CheckReport report = host.checker().run(inventory, inventory.devices(), false);
    out.println("host ready: " + !report.blocking());
    report.host().stream()
        .filter(Finding::blocking)
        .forEach(f -> out.println("  " + f.code() + ": " + f.message() + " -> " + f.fix()));
    for (DeviceReport r : report.devices()) {
      if (r.address().equals(nic)) {
        out.println(nic + " can be passed through: " + r.assignable());
      }
    }

    try (LockedHost locked = host.lock(Duration.ofSeconds(30))) {
      VfioEngine vfio = locked.vfio();
      var devices = VfioEngine.exactly(List.of(nic));
      TransactionResult bound =
          vfio.run(vfio.planBind(new VfioEngine.BindRequest(devices, false, null, false, false)));
      out.println("bind: " + describe(bound));
      TransactionResult released = vfio.run(vfio.planRelease(devices, false));
      out.println("release: " + describe(released));
      boolean ok =
          bound instanceof TransactionResult.Committed
              && released instanceof TransactionResult.Committed;
      return ok ? 0 : 1;
    } catch (PcikitException e) {
      // refused by a safety rule, host locked by another process, device not found...
      out.println(e.failure() + ": " + e.getMessage() + " (remedy: " + e.remedy() + ")");
      return 2;
    }
  }

  /** One line per way a transaction can end: the result type is sealed. */
  static String describe(TransactionResult r) {
    if (r instanceof TransactionResult.Committed c) {
      return "committed "
          + c.done().stream()
              .map(t -> t.address() + " " + t.from().describe() + " -> " + t.to().describe())
              .toList();
    } else if (r instanceof TransactionResult.RolledBack b) {
      return "rolled back after " + b.cause() + ": " + b.restored();
    } else if (r instanceof TransactionResult.RollbackIncomplete b) {
      return "rollback incomplete after " + b.cause() + "; journal kept at " + b.journal();
    } else {
      return "not started: " + ((TransactionResult.NotStarted) r).cause();
    }
  }
}
