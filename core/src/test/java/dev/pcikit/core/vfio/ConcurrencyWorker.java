package dev.pcikit.core.vfio;

import dev.pcikit.core.error.PcikitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One pcikit-like process for {@link ConcurrencyTest}: under the host lock it loads the shared host
 * state, recovers, binds or releases an overlapping device set, and (when asked) dies with
 * Runtime.halt in the middle of a transaction, like kill -9.
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
    for (int i = 0; i < iterations; i++) {
      TestHost h = new TestHost(root, false);
      VfioEnvironment env = h.env().withLockTimeout(Duration.ofSeconds(120));
      try (HostLock lock = HostLock.acquire(env.runDir(), env.lockTimeout())) {
        if (Files.exists(state)) {
          h.kernel.load(state);
        }
        h.kernel.autosave(state);
        VfioEngine e = new VfioEngine(env);
        e.recover();
        List<String> set =
            FaultScheduleProperties.SETS.get((index + i) % FaultScheduleProperties.SETS.size());
        List<DeviceSelector> sel = set.stream().map(DeviceSelector::parse).toList();
        if (i == crashIteration) {
          int at = h.kernel.writes() + 1 + index % 4;
          h.kernel.crashAfterWrite(at);
        }
        try {
          if ((index + i) % 2 == 0) {
            e.execute(e.planBind(new VfioEngine.BindRequest(sel, true, null, false, false)));
          } else {
            e.execute(e.planRelease(sel, false));
          }
        } catch (PcikitException x) {
          System.err.println("worker " + index + ": " + x.getMessage());
        } catch (FakeKernel.Crash x) {
          Runtime.getRuntime().halt(137); // kill -9: no finally, no lock release but the OS's
        }
      }
    }
  }
}
