package org.adpo.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;
import org.adpo.io.AtomicFiles;
import org.adpo.io.OnlineReport;

/**
 * An online state directory and its commit protocol. Layout:
 *
 * <pre>
 *   state.json             the manifest: the only commit point; names every live file below
 *   config.json            the settings fixed at init (its SHA-256 is in the manifest)
 *   pool.json              the pool's data files (path, length, mtime), rows and dimension at init
 *   rounds/round-K.json    round K's picks in order, with what rebuilds H^-1 exactly, and its theta
 *   queries/round-K/       round K's queries for people (CSV: id, round, rank, pass-through, empty s)
 *   labels/round-K.jsonl   round K's ingested labels, in pick order
 *   .lock                  held (OS file lock) by the command changing the state
 * </pre>
 *
 * A command writes its new side files first, under names the current manifest does not use, and
 * then replaces the manifest atomically ({@link AtomicFiles}). Killed before the manifest's rename,
 * the state is the previous one and the side files are garbage; killed after, the command's work is
 * complete. Garbage (files the manifest does not name, temporary files) is deleted by the next
 * command that holds the lock. Commands are deterministic in the committed state, so re-running an
 * interrupted one produces the same files and finishes it.
 */
final class OnlineState {
  public static final String MANIFEST = "state.json";
  public static final String CONFIG = "config.json";
  public static final String POOL = "pool.json";

  private final Path dir;

  public OnlineState(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  public boolean initialised() {
    return Files.isRegularFile(dir.resolve(MANIFEST));
  }

  /** Takes the state's lock (fails fast when another command holds it). */
  StateLock lock() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UsageException("cannot create state directory " + dir + ": " + e.getMessage(), e);
    }
    return StateLock.acquire(dir);
  }

  /** The committed manifest. */
  public Manifest manifest() {
    if (!initialised()) {
      if (Files.isRegularFile(dir.resolve(CONFIG))) {
        throw new UsageException("the state " + dir + " has lost its manifest " + MANIFEST + " (deleted?): it cannot"
            + " be resumed; restore " + MANIFEST + " from a backup, or move the directory aside and start again with"
            + " 'adpo online init' in a new one (the picks-*.json and labels files in it keep what was picked and"
            + " labelled)");
      }
      throw new UsageException("no online state in " + dir + " (run 'adpo online init' first)");
    }
    return Manifest.parse(read(MANIFEST), dir.resolve(MANIFEST).toString());
  }

  /** Atomically replaces the manifest: the commit. */
  void commit(Manifest m) {
    AtomicFiles.write(dir.resolve(MANIFEST), m.toJson());
  }

  /** The bytes of a file of the state (relative name). */
  byte[] read(String name) {
    try {
      return Files.readAllBytes(dir.resolve(name));
    } catch (NoSuchFileException e) {
      throw new UsageException("the state " + dir + " is missing " + name + " (named by its manifest)", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(name) + ": " + e.getMessage(), e);
    }
  }

  /**
   * config.json, checked against the hash the manifest recorded (a changed configuration would make
   * the rounds inconsistent: exit 2).
   */
  public OnlineConfig config(Manifest m) {
    byte[] bytes = read(CONFIG);
    String now = AtomicFiles.sha256(bytes);
    if (!now.equals(m.configSha256())) {
      throw new UsageException(dir.resolve(CONFIG) + " changed since init (SHA-256 " + now + ", recorded "
          + m.configSha256() + "); the state's rounds were made with the recorded configuration: restore the file"
          + " or start a new state with 'adpo online init'");
    }
    return OnlineConfig.parse(bytes, dir.resolve(CONFIG).toString());
  }

  /** pool.json: the recorded fingerprint. */
  public PoolFingerprint recordedPool() {
    try {
      JsonNode o = OnlineConfig.JSON.readTree(read(POOL));
      List<PoolFingerprint.FileEntry> files = new ArrayList<>();
      for (JsonNode f : o.get("files")) {
        files.add(new PoolFingerprint.FileEntry(f.get("path").asText(), f.get("length").asLong(),
            f.get("modified").asLong()));
      }
      return new PoolFingerprint(o.get("root").asText(), files, o.get("rows").asLong(), o.get("dimension").asInt());
    } catch (IOException | RuntimeException e) {
      if (e instanceof UsageException) {
        throw (UsageException) e;
      }
      throw new UsageException("cannot read " + dir.resolve(POOL) + ": " + e.getMessage(), e);
    }
  }

  static byte[] poolJson(PoolFingerprint fp) {
    ObjectNode o = OnlineConfig.JSON.createObjectNode();
    o.put("root", fp.root());
    ArrayNode a = o.putArray("files");
    for (PoolFingerprint.FileEntry f : fp.files()) {
      a.addObject().put("path", f.path()).put("length", f.length()).put("modified", f.modified());
    }
    o.put("rows", fp.rows());
    o.put("dimension", fp.dimension());
    o.put("fingerprint", fp.hash());
    try {
      return (OnlineConfig.JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks that the pool is the one of init: its files as listed now, with the recorded rows and
   * dimension, must give the recorded fingerprint (exit 3 naming what changed).
   */
  public PoolFingerprint checkPool(Manifest m, OnlineConfig c, org.apache.hadoop.conf.Configuration hadoop) {
    PoolFingerprint recorded = recordedPool();
    PoolFingerprint now = PoolFingerprint.of(hadoop, c.pool(), recorded.rows(), recorded.dimension());
    if (!now.hash().equals(m.poolFingerprint())) {
      throw new BadInputException("pool " + c.pool() + " changed since init: " + now.describeChange(recorded)
          + "; the state's picks refer to the pool as it was (start a new state for a new pool)");
    }
    return recorded;
  }

  public RoundFile round(Manifest.Round r) {
    return RoundFile.parse(read(r.picks()), dir.resolve(r.picks()).toString());
  }

  void writeRound(String name, RoundFile f) {
    AtomicFiles.write(dir.resolve(name), f.toJson());
  }

  /** The ingested labels of a closed round, in pick order (checked against its picks). */
  public int[] labels(Manifest.Round r, RoundFile picks) {
    String text = new String(read(r.labels()), StandardCharsets.UTF_8);
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    if (lines.size() != picks.picks().size()) {
      throw new UsageException(dir.resolve(r.labels()) + " holds " + lines.size() + " labels for "
          + picks.picks().size() + " picks");
    }
    int[] out = new int[lines.size()];
    try {
      for (int i = 0; i < out.length; i++) {
        JsonNode n = OnlineConfig.JSON.readTree(lines.get(i));
        String id = n.get("id").isTextual() ? n.get("id").asText() : n.get("id").toString();
        if (!id.equals(String.valueOf(picks.picks().get(i).id()))) {
          throw new UsageException(dir.resolve(r.labels()) + " line " + (i + 1) + " is for id " + id + ", pick "
              + (i + 1) + " of round " + r.round() + " is id " + picks.picks().get(i).id());
        }
        out[i] = n.get("s").asInt();
      }
    } catch (IOException e) {
      throw new UsageException("cannot read " + dir.resolve(r.labels()) + ": " + e.getMessage(), e);
    }
    return out;
  }

  void writeLabels(String name, RoundFile picks, int[] labels) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < labels.length; i++) {
      ObjectNode n = OnlineConfig.JSON.createObjectNode();
      Object id = picks.picks().get(i).id();
      if (id instanceof String) {
        n.put("id", (String) id);
      } else {
        n.put("id", ((Number) id).longValue());
      }
      n.put("s", labels[i]);
      sb.append(n.toString()).append('\n');
    }
    AtomicFiles.write(dir.resolve(name), sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deletes what the manifest does not name: temporary files anywhere in the layout, and round,
   * labels and queries entries of interrupted commands. Call with the lock held.
   */
  void collectGarbage(Manifest m) {
    Set<String> live = new HashSet<>();
    for (Manifest.Round r : m.rounds()) {
      live.add(r.picks());
      live.add(r.queries());
      if (r.labels() != null) {
        live.add(r.labels());
      }
    }
    for (Path p : list(dir)) {
      String n = p.getFileName().toString();
      if (n.startsWith(".") && n.contains(AtomicFiles.TMP)) {
        delete(p);
      }
    }
    for (String sub : List.of("rounds", "labels", "queries")) {
      for (Path p : list(dir.resolve(sub))) {
        if (!live.contains(sub + "/" + p.getFileName())) {
          delete(p);
        }
      }
    }
  }

  /** True when {@code dir} holds nothing but what an interrupted init may have left. */
  boolean onlyInitLeftovers() {
    for (Path p : list(dir)) {
      String n = p.getFileName().toString();
      if (!(n.equals(CONFIG) || n.equals(POOL) || n.equals(StateLock.NAME)
          || (n.startsWith(".") && n.contains(AtomicFiles.TMP)))) {
        return false;
      }
    }
    return true;
  }

  private static List<Path> list(Path d) {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + d + ": " + e.getMessage(), e);
    }
  }

  static void delete(Path p) {
    try {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(q);
          }
        }
      } else {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
    }
  }

  /** The status of the state (for text and JSON output). */
  public OnlineReport.Status status(Manifest m, OnlineConfig c) {
    Manifest.Round open = m.open();
    Long budget = c.budget() == 0 ? null : c.budget();
    return new OnlineReport.Status(dir.toString(), c.settings().algorithm().cliName(), c.pool(), m.rounds().size(),
        open != null, open == null ? null : dir.resolve(open.queries()).toString(), m.picks(), m.labels(), budget,
        budget == null ? null : Math.max(0, c.budget() - m.picks()), m.thetaNorm(), m.logDet(), m.generation(),
        m.configSha256(), m.poolFingerprint());
  }
}
