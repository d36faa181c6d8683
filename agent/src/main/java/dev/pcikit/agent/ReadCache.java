package dev.pcikit.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Answers of reads kept between requests while the host has not changed: the key is the route and
 * its query, the entry is valid for one {@link HostView#generation} (a new simulated state file, or
 * any write or observed change). Only hosts whose changes the generation tracks are cached ({@link
 * HostView#cacheable}); a live system root is read afresh on every request. A cached answer is kept
 * gzip-compressed too, for clients that accept it (RFC 9110 8.4.1).
 */
final class ReadCache {
  static final int ENTRIES = 64;

  private record Entry(long generation, Reply reply) {}

  private final HostView host;
  private final Map<String, Entry> entries =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > ENTRIES;
        }
      };

  ReadCache(HostView host) {
    this.host = host;
  }

  Reply get(String key, Supplier<Reply> compute) {
    if (!host.cacheable()) {
      return compute.get();
    }
    long gen = host.generation();
    synchronized (entries) {
      Entry e = entries.get(key);
      if (e != null && e.generation() == gen) {
        return e.reply();
      }
    }
    Reply r = compute.get();
    if (r.status() == 200) {
      r.gzipped(gzip(r.body()));
      r.keepDirect();
      // the answer was computed from generation gen or later: stored under gen, it is dropped
      // at the next change at the latest
      synchronized (entries) {
        entries.put(key, new Entry(gen, r));
      }
    }
    return r;
  }

  static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length / 8 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
