package dev.pcikit.core.holders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class HoldersTest {
  @TempDir Path root;

  static final PciAddress NIC = PciAddress.parse("0000:03:00.0");

  static String domain(String name, String hostdevBus) {
    return "<domain type='kvm'><name>"
        + name
        + "</name><devices><disk type='file'><source file='/x'/>"
        + "<address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></disk>"
        + "<hostdev mode='subsystem' type='pci' managed='yes'><driver name='vfio'/><source>"
        + "<address domain='0x0000' bus='"
        + hostdevBus
        + "' slot='0x00' function='0x0'/></source>"
        + "<address type='pci' domain='0x0000' bus='0x07' slot='0x00' function='0x0'/>"
        + "</hostdev></devices></domain>";
  }

  void process(int pid, String comm, String cmdline, String... fds) throws IOException {
    FakeHolders.process(root, pid, comm, cmdline, fds);
  }

  void file(String rel, String content) throws IOException {
    FakeHolders.file(root, rel, content);
  }

  @Test
  void theHolderIsNamedWithItsCommandLineAndItsLiveDomain() throws IOException {
    process(
        4242,
        "qemu-system-x86",
        "/usr/bin/qemu-system-x86_64\0-name\0guest=web1\0",
        "/dev/vfio/7",
        "/dev/null");
    process(100, "bash", "bash\0", "/dev/pts/0");
    file(
        "run/libvirt/qemu/web1.xml",
        "<domstatus state='running' reason='booted' pid='4242'><monitor path='/m'/>"
            + domain("web1", "0x05")
            + "</domstatus>");
    file("etc/libvirt/qemu/web1.xml", domain("web1", "0x05"));
    file("etc/libvirt/qemu/db.xml", domain("db", "0x03"));
    Holders h = Holders.read(root);
    assertThat(h.problems()).isEmpty();
    List<GroupHolder> who = h.of(NIC, 7);
    assertThat(who).hasSize(1);
    GroupHolder g = who.get(0);
    assertThat(g.pid()).isEqualTo(4242);
    assertThat(g.cmdline()).isEqualTo("/usr/bin/qemu-system-x86_64 -name guest=web1");
    // the pid decides, whatever the hostdev lists
    assertThat(g.domain().orElseThrow().name()).isEqualTo("web1");
    assertThat(g.describe()).isEqualTo("pid 4242 (qemu-system-x86), libvirt domain web1 (running)");
    // the guest-side <address> and the disk's address are not host devices
    assertThat(h.assignedTo(NIC).orElseThrow().name()).isEqualTo("db");
    assertThat(h.assignedTo(PciAddress.parse("0000:07:00.0"))).isEmpty();
    assertThat(h.of(NIC, 8)).isEmpty();
  }

  @Test
  void aLiveFileWithoutPidIsMatchedOnTheHostdevSource() throws IOException {
    process(77, "lab-group-holder", "/lab/bin/lab-group-holder\0" + "12\0", "/dev/vfio/12");
    file(
        "run/libvirt/qemu/lab.xml",
        "<domstatus state='running'>" + domain("lab", "0x03") + "</domstatus>");
    assertThat(Holders.read(root).of(NIC, 12).get(0).domain().orElseThrow().name())
        .isEqualTo("lab");
    assertThat(Holders.read(root).of(PciAddress.parse("0000:05:00.0"), 12).get(0).domain())
        .isEmpty();
  }

  @Test
  void externalEntitiesAreNeverResolved() throws IOException {
    Path secret = root.resolve("secret");
    Files.writeString(secret, "leaked");
    file(
        "etc/libvirt/qemu/evil.xml",
        "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM 'file://"
            + secret
            + "'>]><domain><name>&x;</name></domain>");
    LibvirtDomains.Result r = LibvirtDomains.read(root);
    assertThat(r.domains()).noneMatch(d -> d.name().contains("leaked"));
  }

  @Test
  @Timeout(10)
  void hostileFilesAreSkippedWithAProblemNeverAHang() throws Exception {
    file("etc/libvirt/qemu/broken.xml", "<domain><name>x</name>");
    file("etc/libvirt/qemu/deep.xml", "<domain>" + "<a>".repeat(1000) + "</domain>");
    Path big = root.resolve("etc/libvirt/qemu/big.xml");
    Files.write(big, new byte[(int) LibvirtDomains.MAX_FILE_SIZE + 1]);
    Path fifo = root.resolve("etc/libvirt/qemu/fifo.xml");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    file("etc/libvirt/qemu/ok.xml", domain("ok", "0x03"));
    LibvirtDomains.Result r = LibvirtDomains.read(root);
    assertThat(r.domains()).extracting(LibvirtDomain::name).containsExactly("ok");
    assertThat(r.problems())
        .anyMatch(p -> p.contains("broken.xml"))
        .anyMatch(p -> p.contains("deep.xml"))
        .anyMatch(p -> p.contains("big.xml") && p.contains("larger than"));
  }

  @Test
  void noProcNoLibvirtNoHolders() {
    Holders h = Holders.read(root);
    assertThat(h.groups()).isEmpty();
    assertThat(h.domains()).isEmpty();
  }
}
