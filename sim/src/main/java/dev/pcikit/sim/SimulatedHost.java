package dev.pcikit.sim;

import dev.pcikit.core.check.Arch;
import dev.pcikit.core.check.FixedEnvironment;
import dev.pcikit.core.check.HostEnvironment;
import dev.pcikit.core.check.HostUseCheck;
import dev.pcikit.core.check.ModuleState;
import dev.pcikit.core.host.Host;
import dev.pcikit.core.host.LockedHost;
import dev.pcikit.core.host.StateLayout;
import dev.pcikit.core.modalias.AliasIndex;
import dev.pcikit.core.modalias.ModuleAliases;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.vfio.AtomicFiles;
import dev.pcikit.core.vfio.HostLock;
import dev.pcikit.core.vfio.HostUsage;
import dev.pcikit.core.vfio.VfioDriverChooser;
import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recorded or demo host ({@code FILE} or {@code demo:NAME}) on the simulated kernel, as a {@link
 * Host}. Reads open the saved state on first use; {@link #lock} loads it afresh under the host lock
 * (another process may have saved a newer state meanwhile) and saves it back before the lock is
 * released. Journals, records, the lock and persistence live next to the state file, in {@code
 * STATEFILE.pcikit/}.
 */
public final class SimulatedHost implements Host {
  /**
   * Where a recorded or demo host's sysfs was: what dry runs print, so that the lines can be run on
   * that host. Only shown, never opened.
   */
  private static final String RECORDED_HOST_SYSFS = "/sys";

  private final String spec;
  private final Map<String, String> env;
  private final StateLayout layout;
  private HostSession session;

  private SimulatedHost(
      String spec, Map<String, String> env, StateLayout layout, HostSession session) {
    this.spec = spec;
    this.env = env;
    this.layout = layout;
    this.session = session;
  }

  /**
   * Opens {@code FILE} or {@code demo:NAME} with the process environment (see {@link HostSession}).
   */
  public static SimulatedHost open(String spec) {
    return open(spec, System.getenv());
  }

  /** As {@link #open(String)} with the given environment (where demo state is kept). */
  public static SimulatedHost open(String spec, Map<String, String> env) {
    Path stateFile =
        spec.startsWith("demo:")
            ? HostSession.demoStateFile(spec.substring(5), env)
            : Path.of(spec);
    Path base = stateFile.toAbsolutePath().resolveSibling(stateFile.getFileName() + ".pcikit");
    return new SimulatedHost(spec, env, StateLayout.under(base), null);
  }

  /** The session read and written (opened on first use). */
  public synchronized HostSession session() {
    if (session == null) {
      session = HostSession.open(spec, env);
    }
    return session;
  }

  /** The simulated kernel of {@link #session()}. */
  public SimKernel kernel() {
    return session().kernel();
  }

  /** Saves the state back if anything was written (no-op when the host was never opened). */
  public synchronized void save() {
    if (session != null) {
      session.save();
    }
  }

  @Override
  public String name() {
    return spec;
  }

  @Override
  public Sysfs sysfs() {
    return session().sysfs();
  }

  /**
   * The recorded facts (arch, kernel, command line when recorded). The simulated kernel loads any
   * module it catalogues on demand, so the vfio modules count as installed unless loaded already.
   */
  @Override
  public HostEnvironment environment() {
    SimKernel kernel = kernel();
    Map<String, String> info = kernel.host().info();
    Map<String, ModuleState> modules = new HashMap<>();
    for (String m : List.of("vfio", "vfio_pci", "vfio_iommu_type1", "vfio_iommu_spapr_tce")) {
      boolean loaded = kernel.exists("module/" + m) || kernel.loaded(m.replace('_', '-'));
      modules.put(m, loaded ? ModuleState.LOADED : ModuleState.AVAILABLE);
    }
    return new FixedEnvironment(
        Arch.of(kernel.host().arch()),
        Optional.ofNullable(info.get("cmdline")),
        Optional.ofNullable(info.get("kernel")),
        modules);
  }

  @Override
  public HostUsage usage() {
    return new SimHostUsage(this::kernel);
  }

  /** A recording has no mounts, swap or routes of its own to inspect. */
  @Override
  public HostUseCheck uses() {
    return HostUseCheck.NONE;
  }

  /**
   * The simulated kernel's modules: the ID tables of its driver catalogue, as the {@code
   * modules.alias} lines depmod would write for them (built-in drivers have no module line).
   */
  @Override
  public AliasIndex moduleAliases() {
    SimKernel kernel = kernel();
    List<String> lines = new ArrayList<>();
    for (DriverSpec d : kernel.host().catalog().all()) {
      if (d.module().isEmpty()) {
        continue;
      }
      for (String a : d.aliases()) {
        lines.add("alias " + a + " " + d.module());
      }
    }
    String release = kernel.host().info().getOrDefault("kernel", "simulated");
    return ModuleAliases.ofAliasLines(spec + " (simulated modules)", release, lines);
  }

  @Override
  public StateLayout layout() {
    return layout;
  }

  @Override
  public SimulatedHost withLayout(StateLayout l) {
    return new SimulatedHost(spec, env, l, session);
  }

  @Override
  public VfioEnvironment vfioEnvironment() {
    return new VfioEnvironment(
        sysfs(),
        RECORDED_HOST_SYSFS,
        layout.stateDir(),
        layout.runDir(),
        layout.etcDir(),
        usage(),
        m -> kernel().modprobe(m),
        VfioDriverChooser.GENERIC,
        Duration.ofSeconds(30));
  }

  /**
   * Takes the lock, then loads the state afresh (two invocations never load the same state file at
   * the same time) and recovers; closing saves the state while the lock is still held, also when
   * the writer failed part-way (the simulated kernel kept what it did).
   */
  @Override
  public LockedHost lock(Duration timeout) throws IOException {
    HostLock lock = HostLock.acquire(layout.runDir(), timeout);
    SimulatedHost fresh;
    try {
      fresh = new SimulatedHost(spec, env, layout, HostSession.open(spec, env));
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    synchronized (this) {
      // readers of this object after the write see what the writer did
      session = fresh.session;
    }
    // The state is saved ahead of every journal, record and persisted-bindings write (recovery's
    // included), so that a kill -9 anywhere leaves the saved host and those files in agreement,
    // as a real kernel's state and pcikit's files are (docs/simulation.md).
    AtomicFiles.Registration ahead =
        AtomicFiles.beforeWritesUnder(List.of(layout.stateDir(), layout.etcDir()), fresh::save);
    return LockedHost.recovered(
        fresh,
        lock,
        () -> {
          try {
            fresh.save();
          } finally {
            ahead.close();
          }
        });
  }
}
