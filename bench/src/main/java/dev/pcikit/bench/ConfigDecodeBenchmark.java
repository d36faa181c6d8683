package dev.pcikit.bench;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigRenderer;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.config.PciePortType;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding (and decoding + rendering) the config spaces of a 10,000-function host: a mix of SR-IOV
 * PFs, VFs, switch ports and conventional devices, as {@code pcikit list/show} meet them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConfigDecodeBenchmark {
  static final int DEVICES = 10_000;

  byte[][] configs;

  @Setup
  public void build() {
    byte[][] kinds = {
      ConfigSpaceBuilder.endpoint(0x8086, 0x1572)
          .classCode(0x020000)
          .powerManagement()
          .msi(true, 3, true, false)
          .msix(129, true)
          .express(PciePortType.ENDPOINT)
          .flr(true)
          .aer()
          .ari(1)
          .sriov(ConfigSpaceBuilder.sriov(64, 0x154c).numVfs(8).offset(16))
          .ats(0, false)
          .dsn(42)
          .build(),
      ConfigSpaceBuilder.endpoint(0x8086, 0x154c)
          .express(PciePortType.ENDPOINT)
          .msix(4, true)
          .ari(0)
          .virtualFunction()
          .build(),
      ConfigSpaceBuilder.bridge(0x10b5, 0x8747)
          .buses(2, 3, 3)
          .express(PciePortType.DOWNSTREAM_PORT)
          .powerManagement()
          .msi(false, 0, false, true)
          .aer()
          .acs(0x5f, 0x1d)
          .build(),
      ConfigSpaceBuilder.endpoint(0x8086, 0x2918).conventional().powerManagement().build(),
    };
    configs = new byte[DEVICES][];
    for (int i = 0; i < DEVICES; i++) {
      configs[i] = kinds[i % kinds.length];
    }
  }

  @Benchmark
  public void decode10k(Blackhole bh) {
    for (byte[] c : configs) {
      bh.consume(ConfigDecoder.decode(c));
    }
  }

  @Benchmark
  public void decodeAndRender10k(Blackhole bh) {
    for (byte[] c : configs) {
      ConfigSpace cs = ConfigDecoder.decode(c);
      bh.consume(ConfigRenderer.render(cs));
    }
  }
}
