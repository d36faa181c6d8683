package dev.pcikit.core.holders;

import java.util.Optional;

/**
 * A process holding {@code /dev/vfio/N} open, and the libvirt domain it runs when known.
 *
 * @param pid 0 when the host cannot say (a simulated VM)
 * @param comm the process name ({@code /proc/PID/comm})
 * @param cmdline the command line, arguments joined by spaces (bounded)
 * @param domain the libvirt domain: a live domain whose status file names this pid, or one whose
 *     {@code <hostdev>} lists the device
 */
public record GroupHolder(int pid, String comm, String cmdline, Optional<LibvirtDomain> domain) {

  public GroupHolder withDomain(Optional<LibvirtDomain> d) {
    return new GroupHolder(pid, comm, cmdline, d);
  }

  /** "pid 4242 (qemu-system-x86), libvirt domain web1 (running)". */
  public String describe() {
    StringBuilder sb = new StringBuilder(pid > 0 ? "pid " + pid : "a process");
    if (!comm.isEmpty()) {
      sb.append(" (").append(comm).append(')');
    }
    domain.ifPresent(
        d ->
            sb.append(", libvirt domain ")
                .append(d.name())
                .append(d.live() ? " (running)" : " (defined)"));
    return sb.toString();
  }
}
