package dev.pcikit.core.vfio;

import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.sim.Faults;
import dev.pcikit.sim.SimulatedCrash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One pcikit-like process for {@link ConcurrencyTest}: under the host lock it loads the shared
 * simulated host's state, recovers, binds or releases an overlapping device set, and (when asked)
 * dies with Runtime.halt in the middle of a transaction, like kill -9.
 *
 * <p>Args: ROOT INDEX ITERATIONS CRASH_ITERATION(-1 = never)
 */
public final class ConcurrencyWorker {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int index = Integer.parseInt(args[1]);
    int iterations = Integer.parseInt(args[2]);
    int crashIteration = Integer.parseInt(args[3]);
    Path state = root.resolve("host-state");
    List<List<String>> sets = FaultSchedulePropertiesTest.SETS;
    for (int i = 0; i < iterations; i++) {
      SimHost h = new SimHost(root, false);
      VfioEnvironment env =
          h.env(SimStateFile.autosaving(h, state))
              .withModules(
                  m -> {
                    h.kernel.modprobe(m);
                    SimStateFile.save(h, state);
                  })
              .withLockTimeout(Duration.ofSeconds(120));
      try (HostLock lock = HostLock.acquire(env.runDir(), env.lockTimeout())) {
        if (Files.exists(state)) {
          SimStateFile.load(h, state);
        }
        VfioEngine e = new VfioEngine(env);
        e.recover();
        int pick = (index + i) % sets.size();
        boolean bind = (index + i) % 2 == 0;
        if (i == crashIteration) {
          // A set with work to do, so that the crash surely happens mid-transaction.
          bind = true;
          for (pick = 0; pick < sets.size() - 1; pick++) {
            if (!sets.get(pick).stream().allMatch(b -> "vfio-pci".equals(h.driverOf(b)))) {
              break;
            }
          }
          h.kernel.faults(new Faults().crashAfterStep(index % 3));
        }
        List<DeviceSelector> sel = sets.get(pick).stream().map(DeviceSelector::parse).toList();
        try {
          if (bind) {
            e.execute(e.planBind(new VfioEngine.BindRequest(sel, true, null, false, false)));
          } else {
            e.execute(e.planRelease(sel, false));
          }
        } catch (PcikitException x) {
          System.err.println("worker " + index + ": " + x.getMessage());
        } catch (SimulatedCrash x) {
          Runtime.getRuntime().halt(137); // kill -9: no finally; the OS drops the lock
        }
      }
    }
  }
}
