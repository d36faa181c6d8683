package dev.pcikit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainXmlReaderTest {

  @Test
  void readsControllersAddressesAndHostdevs() throws IOException {
    ExistingDomain d =
        DomainXmlReader.parse(GoldenPlanTest.resource("domains/pseries-existing.xml"));
    assertThat(d.name()).isEqualTo("power-db");
    assertThat(d.machine()).hasValue(MachineType.PSERIES);
    assertThat(d.controllers()).hasSize(4);
    assertThat(d.controllers().get(2).phbIndex()).isEqualTo(5);
    assertThat(d.controllers().get(2).index()).isEqualTo(2);
    assertThat(d.usedAddresses())
        .containsExactlyInAnyOrder(new GuestAddress(0, 1, 0), new GuestAddress(1, 1, 0));
    assertThat(d.hostdevSources()).containsExactly(PciAddress.parse("0001:01:00.0"));
    assertThat(d.hostdevCount()).isEqualTo(1);
  }

  @Test
  void externalEntitiesAreRefusedAndNeverRead(@TempDir Path dir) throws IOException {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "TOPSECRET");
    String xxe =
        "<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY x SYSTEM '"
            + secret.toUri()
            + "'>]>\n<domain><name>&x;</name></domain>";
    assertThatThrownBy(() -> DomainXmlReader.parse(xxe))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("DOCTYPE")
        .hasMessageNotContaining("TOPSECRET")
        .extracting(e -> ((PcikitException) e).failure())
        .isEqualTo(Failure.BAD_INPUT);
  }

  @Test
  void entityExpansionBombIsRefused() {
    StringBuilder b = new StringBuilder("<?xml version='1.0'?>\n<!DOCTYPE domain [\n");
    b.append("<!ENTITY a0 'lollollollollollollollollollol'>\n");
    for (int i = 1; i < 10; i++) {
      b.append("<!ENTITY a").append(i).append(" '");
      b.append(("&a" + (i - 1) + ";").repeat(10)).append("'>\n");
    }
    b.append("]>\n<domain><name>&a9;</name></domain>");
    assertThatThrownBy(() -> DomainXmlReader.parse(b.toString()))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("DOCTYPE");
  }

  @Test
  void undeclaredEntityReferenceIsRefused() {
    assertThatThrownBy(() -> DomainXmlReader.parse("<domain><name>&x;</name></domain>"))
        .isInstanceOf(PcikitException.class)
        .extracting(e -> ((PcikitException) e).failure())
        .isEqualTo(Failure.BAD_INPUT);
  }

  @Test
  void hugeAndDeepInputsAreRefused() {
    String huge = "<domain>" + " ".repeat(DomainXmlReader.MAX_CHARS) + "</domain>";
    assertThatThrownBy(() -> DomainXmlReader.parse(huge))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("larger than 4 MiB");
    String deep = "<domain>" + "<a>".repeat(100) + "</a>".repeat(100) + "</domain>";
    assertThatThrownBy(() -> DomainXmlReader.parse(deep))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("nested deeper");
  }

  @Test
  void otherBadInputsGiveOneClearError() {
    assertThatThrownBy(() -> DomainXmlReader.parse("<network/>"))
        .hasMessageContaining("root element is <network>");
    assertThatThrownBy(() -> DomainXmlReader.parse("<domain><devices>"))
        .hasMessageContaining("not well-formed");
    assertThatThrownBy(() -> DomainXmlReader.parse("")).isInstanceOf(PcikitException.class);
    assertThatThrownBy(
            () ->
                DomainXmlReader.parse(
                    "<domain><devices><controller type='pci' index='zz'/></devices></domain>"))
        .hasMessageContaining("'zz' is not a number");
    assertThatThrownBy(
            () ->
                DomainXmlReader.parse(
                    "<domain><devices><interface><address type='pci' bus='0x00' slot='0x40'"
                        + " function='0'/></interface></devices></domain>"))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("slot");
    assertThatThrownBy(
            () ->
                DomainXmlReader.parse(
                    "<domain><devices><interface><address type='pci' bus='0' slot='1'/></interface>"
                        + "<interface><address type='pci' bus='0' slot='1'/></interface></devices></domain>"))
        .hasMessageContaining("twice");
  }
}
