package dev.pcikit.core.plan;

/** s390x zPCI identity of a passed-through function: uid 1..0xffff, fid 32-bit unsigned. */
public record Zpci(int uid, long fid) {
  public static final int MAX_UID = 0xffff;
  public static final long MAX_FID = 0xffffffffL;

  public Zpci {
    if (uid < 1 || uid > MAX_UID) {
      throw new IllegalArgumentException("zPCI uid must be 1..0xffff: " + uid);
    }
    if (fid < 0 || fid > MAX_FID) {
      throw new IllegalArgumentException("zPCI fid must be 0..0xffffffff: " + fid);
    }
  }
}
