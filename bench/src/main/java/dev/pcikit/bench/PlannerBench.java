package dev.pcikit.bench;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.plan.DeviceRequest;
import dev.pcikit.core.plan.GuestSpec;
import dev.pcikit.core.plan.HostFunction;
import dev.pcikit.core.plan.HostTopology;
import dev.pcikit.core.plan.MachineType;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.Planner;
import dev.pcikit.core.plan.Policies;
import dev.pcikit.core.plan.render.LibvirtRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guest topology planning: a pseries guest with 30 PEs (one PHB each, the PAPR maximum) and a q35
 * guest with 500 passed-through functions (125 four-function devices, one root port each). Target:
 * under 50 ms per plan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlannerBench {
  HostTopology powerHost;
  GuestSpec pseries30;
  HostTopology x86Host;
  GuestSpec q35with500;

  @Setup
  public void setup() {
    List<HostFunction> power = new ArrayList<>();
    List<DeviceRequest> pes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      PciAddress a = new PciAddress(i + 1, 1, 0, 0);
      power.add(
          new HostFunction(
              a, 0x144d, 0xa808, 0x010802, i + 1, i % 2, true, 4096, false, Optional.empty()));
      pes.add(DeviceRequest.of(a.toString()));
    }
    powerHost = new HostTopology(power);
    pseries30 =
        new GuestSpec("p30", MachineType.PSERIES, pes, 2, OptionalInt.of(0), Policies.defaults());

    List<HostFunction> x86 = new ArrayList<>();
    List<DeviceRequest> fns = new ArrayList<>();
    for (int dev = 0; dev < 125; dev++) {
      for (int fn = 0; fn < 4; fn++) {
        PciAddress a = new PciAddress(0, 1 + dev, 0, fn);
        x86.add(
            new HostFunction(
                a, 0x8086, 0x1572, 0x020000, 100 + dev, 0, true, 4096, true, Optional.empty()));
        fns.add(DeviceRequest.of(a.toString()));
      }
    }
    x86Host = new HostTopology(x86);
    q35with500 =
        new GuestSpec("q500", MachineType.Q35, fns, 2, OptionalInt.of(2), Policies.defaults());
  }

  @Benchmark
  public Plan pseries30Pes() {
    return Planner.plan(pseries30, powerHost, Optional.empty());
  }

  @Benchmark
  public Plan q35With500Functions() {
    return Planner.plan(q35with500, x86Host, Optional.empty());
  }

  /** Planning plus the whole libvirt domain, as {@code pcikit plan -o libvirt} does. */
  @Benchmark
  public String q35With500FunctionsToLibvirt() {
    return LibvirtRenderer.domain(Planner.plan(q35with500, x86Host, Optional.empty()));
  }
}
