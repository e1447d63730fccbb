package org.adpo.online;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adpo.error.BadInputException;
import org.adpo.io.AtomicFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A cheap, robust fingerprint of a pool: SHA-256 over every data file's path relative to the pool
 * root, its length and its modification time as Hadoop's FileSystem lists them, plus the row count
 * and dimension found when the state was created. Data files are all files under the pool path
 * (recursively) whose own name and whose directories' names do not start with {@code _} or {@code .}
 * (Spark's {@code _SUCCESS}, checksums, temporary directories). It detects files added, removed,
 * rewritten or touched; it does not read the data, so an edit that keeps a file's length and
 * modification time (deliberately reset) goes unnoticed. Row count and dimension are checked again
 * whenever the pool is loaded.
 */
record PoolFingerprint(String root, List<FileEntry> files, long rows, int dimension) {

  /** One data file: path relative to the pool root, length in bytes, modification time in ms. */
  public record FileEntry(String path, long length, long modified) {}

  /** The data files under {@code pool} as listed now (rows and dimension as given). */
  public static PoolFingerprint of(Configuration conf, String pool, long rows, int dimension) {
    return new PoolFingerprint(pool, list(conf, pool), rows, dimension);
  }

  static List<FileEntry> list(Configuration conf, String pool) {
    Path root = new Path(pool);
    List<FileEntry> out = new ArrayList<>();
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        throw new BadInputException("pool not found: " + pool);
      }
      FileStatus top = fs.getFileStatus(root);
      if (top.isFile()) {
        out.add(new FileEntry(top.getPath().getName(), top.getLen(), top.getModificationTime()));
        return out;
      }
      String prefix = fs.makeQualified(root).toUri().getPath();
      prefix = prefix.endsWith("/") ? prefix : prefix + "/";
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        String path = f.getPath().toUri().getPath();
        String rel = path.startsWith(prefix) ? path.substring(prefix.length()) : f.getPath().getName();
        if (hidden(rel)) {
          continue;
        }
        out.add(new FileEntry(rel, f.getLen(), f.getModificationTime()));
      }
    } catch (IOException e) {
      throw new BadInputException("cannot list pool " + pool + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(FileEntry::path));
    if (out.isEmpty()) {
      throw new BadInputException("pool " + pool + " holds no data files");
    }
    return out;
  }

  private static boolean hidden(String rel) {
    for (String part : rel.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The hex SHA-256 that the state records. */
  public String hash() {
    StringBuilder sb = new StringBuilder("adpo pool fingerprint v1\n");
    for (FileEntry f : files) {
      sb.append(f.path()).append('\t').append(f.length()).append('\t').append(f.modified()).append('\n');
    }
    sb.append("rows\t").append(rows).append("\ndimension\t").append(dimension).append('\n');
    return AtomicFiles.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** What differs between the recorded fingerprint and this one, for the error message. */
  public String describeChange(PoolFingerprint recorded) {
    Map<String, FileEntry> before = new LinkedHashMap<>();
    recorded.files().forEach(f -> before.put(f.path(), f));
    List<String> changes = new ArrayList<>();
    for (FileEntry now : files) {
      FileEntry was = before.remove(now.path());
      if (was == null) {
        changes.add("file " + now.path() + " was added");
      } else if (was.length() != now.length()) {
        changes.add("file " + now.path() + " changed length (" + was.length() + " -> " + now.length() + " bytes)");
      } else if (was.modified() != now.modified()) {
        changes.add("file " + now.path() + " was modified (mtime " + was.modified() + " -> " + now.modified() + ")");
      }
    }
    before.keySet().forEach(p -> changes.add("file " + p + " was removed"));
    if (changes.isEmpty()) {
      changes.add("the recorded fingerprint does not match");
    }
    return String.join("; ", changes.subList(0, Math.min(5, changes.size())))
        + (changes.size() > 5 ? "; and " + (changes.size() - 5) + " more" : "");
  }
}
