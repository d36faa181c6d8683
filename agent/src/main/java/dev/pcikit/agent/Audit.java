package dev.pcikit.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit log: one JSON object per line for every write request, dry runs and refusals included:
 * {@code time} (ISO-8601 UTC), {@code who} (token name or socket peer user), {@code what} (the
 * operation and its request, tokens never in it), {@code dryRun}, {@code outcome} (HTTP status, and
 * the failure name when it failed) and {@code operation} (the id when one was created). Lines are
 * appended with O_APPEND and forced to disk one by one; the file is created mode 0640.
 */
public final class Audit {
  private static final Logger LOG = Logger.getLogger(Audit.class.getName());
  private static final ObjectMapper LINE = JsonMapper.builder().build();

  private final Path file;

  public Audit(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Appends one line; a failure to write is logged, never hidden from the operator. */
  public synchronized void record(
      Caller who,
      String what,
      JsonNode request,
      boolean dryRun,
      int status,
      String failure,
      String operation) {
    ObjectNode o = LINE.createObjectNode();
    o.put("time", Instant.now().toString());
    o.put("who", who.who());
    o.put("what", what);
    o.set("request", request);
    o.put("dryRun", dryRun);
    ObjectNode out = o.putObject("outcome");
    out.put("status", status);
    if (failure != null) {
      out.put("failure", failure);
    }
    if (operation != null) {
      o.put("operation", operation);
    }
    byte[] line = (LINE.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!Files.exists(file)) {
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another agent created it: append to it
        }
      }
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(false);
      }
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "cannot write the audit log " + file + ": " + e.getMessage());
    }
  }
}
