package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens of the token file: one {@code NAME ROLE TOKEN} per line ({@code ROLE} is {@code
 * read} or {@code admin}; {@code #} starts a comment). Only SHA-256 digests are kept in memory; a
 * presented token is compared with every digest in constant time ({@link MessageDigest#isEqual}),
 * so neither the match nor its position leaks through timing. Tokens are never logged or put in a
 * message: errors name the line number only.
 */
public final class Tokens {
  /** Shortest token accepted: 128 bits as hex (openssl rand -hex 16). */
  static final int MIN_CHARS = 32;

  static final int MAX_BYTES = 64 * 1024;

  private record Entry(String name, Caller.Role role, byte[] digest) {}

  private final List<Entry> entries;

  private Tokens(List<Entry> entries) {
    this.entries = entries;
  }

  public static final Tokens NONE = new Tokens(List.of());

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Reads the token file; refuses one that others may read (like ssh's keys) or that is malformed.
   */
  public static Tokens read(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.OTHERS_READ)
          || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new PcikitException(
            Failure.BAD_INPUT, "token file " + file + " is readable by others: chmod 0600 it");
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
        throw new PcikitException(
            Failure.BAD_INPUT,
            "token file " + file + " is not a regular file of at most " + MAX_BYTES + " bytes");
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<Entry> out = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\\s+");
        String where = "token file " + file + " line " + (i + 1) + ": ";
        if (f.length != 3) {
          throw new PcikitException(Failure.BAD_INPUT, where + "expected NAME ROLE TOKEN");
        }
        if (!f[0].matches("[A-Za-z0-9._@-]{1,64}") || !names.add(f[0])) {
          throw new PcikitException(
              Failure.BAD_INPUT, where + "the name must be unique, 1-64 of [A-Za-z0-9._@-]");
        }
        Caller.Role role =
            switch (f[1]) {
              case "read" -> Caller.Role.READ;
              case "admin" -> Caller.Role.ADMIN;
              default ->
                  throw new PcikitException(
                      Failure.BAD_INPUT, where + "role must be read or admin");
            };
        if (f[2].length() < MIN_CHARS) {
          throw new PcikitException(
              Failure.BAD_INPUT, where + "token shorter than " + MIN_CHARS + " characters");
        }
        out.add(new Entry(f[0], role, sha256(f[2])));
      }
      return new Tokens(List.copyOf(out));
    } catch (IOException e) {
      throw new PcikitException(
          Failure.BAD_INPUT, "cannot read token file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The caller a presented token names, or empty; every entry is compared (constant time). */
  public Optional<Caller> check(String presented) {
    byte[] d = sha256(presented);
    Entry found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest(), d) & found == null) {
        found = e;
      }
    }
    return found == null
        ? Optional.empty()
        : Optional.of(new Caller("token:" + found.name(), found.role()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
