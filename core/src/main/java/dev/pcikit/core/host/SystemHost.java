package dev.pcikit.core.host;

import dev.pcikit.core.check.HostEnvironment;
import dev.pcikit.core.check.HostUseCheck;
import dev.pcikit.core.check.RootEnvironment;
import dev.pcikit.core.check.SafetyRuleUses;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.modalias.AliasIndex;
import dev.pcikit.core.modalias.ModuleAliases;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.sysfs.SystemRoot;
import dev.pcikit.core.vfio.AliasVfioChooser;
import dev.pcikit.core.vfio.DriverctlOverrides;
import dev.pcikit.core.vfio.HostLock;
import dev.pcikit.core.vfio.HostUsage;
import dev.pcikit.core.vfio.ModprobeLoader;
import dev.pcikit.core.vfio.ModuleLoader;
import dev.pcikit.core.vfio.ProcHostUsage;
import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A host given by its system root: this machine ({@code /}) or a tree copied from one. sysfs is
 * {@code ROOT/sys}, usage comes from {@code ROOT/proc}, the kernel's module aliases from {@code
 * ROOT/lib/modules/RELEASE}, state from {@link StateLayout#under}. Modules are loaded with {@code
 * modprobe} only when the root is the running system's ({@link #live()}).
 */
public final class SystemHost implements Host {
  private final SystemRoot root;
  private final Sysfs sysfs;
  private final StateLayout layout;
  private final boolean live;
  private AliasIndex aliases;

  private SystemHost(SystemRoot root, Sysfs sysfs, StateLayout layout) {
    this.root = root;
    this.sysfs = sysfs;
    this.layout = layout;
    this.live = root.isLive();
  }

  /** The host whose system root is {@code root} ({@code Path.of("/")} for this machine). */
  public static SystemHost of(Path root) {
    SystemRoot r = new SystemRoot(root);
    return new SystemHost(r, r.sysfs(), StateLayout.under(root));
  }

  /**
   * the open files under {@code ROOT/proc} and libvirt's domain XML under {@code ROOT/run} and
   * {@code ROOT/etc}.
   */
  @Override
  public Holders holders() {
    return Holders.read(root.root());
  }

  /** The system root. */
  public SystemRoot root() {
    return root;
  }

  /** Whether this is the running system (see {@link SystemRoot#isLive}). */
  public boolean live() {
    return live;
  }

  @Override
  public String name() {
    return root.root().toString();
  }

  @Override
  public Sysfs sysfs() {
    return sysfs;
  }

  @Override
  public HostEnvironment environment() {
    return new RootEnvironment(root, sysfs);
  }

  @Override
  public HostUsage usage() {
    return new ProcHostUsage(root.proc());
  }

  @Override
  public HostUseCheck uses() {
    // a copied tree without proc/mounts has no usage to read: check then says so
    if (!Files.isReadable(root.proc().resolve("mounts"))) {
      return HostUseCheck.NONE;
    }
    return new SafetyRuleUses(
        sysfs, usage(), new DriverctlOverrides(layout.etcDir().resolve("driverctl.d")));
  }

  @Override
  public synchronized AliasIndex moduleAliases() {
    if (aliases == null) {
      aliases = ModuleAliases.load(root, ModuleAliases.runningRelease(root));
    }
    return aliases;
  }

  @Override
  public StateLayout layout() {
    return layout;
  }

  @Override
  public SystemHost withLayout(StateLayout l) {
    return new SystemHost(root, sysfs, l);
  }

  @Override
  public VfioEnvironment vfioEnvironment() {
    ModuleLoader modules = live ? new ModprobeLoader() : ModuleLoader.NONE;
    return new VfioEnvironment(
        sysfs,
        root.sysfsDir().toString(),
        layout.stateDir(),
        layout.runDir(),
        layout.etcDir(),
        usage(),
        modules,
        new AliasVfioChooser(sysfs, this::moduleAliases),
        Duration.ofSeconds(30));
  }

  @Override
  public LockedHost lock(Duration timeout) throws IOException {
    HostLock lock = HostLock.acquire(layout.runDir(), timeout);
    return LockedHost.recovered(this, lock, () -> {});
  }
}
