package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.adpo.online.LabelsInput;
import org.adpo.testing.Pools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/adpo online} end to end, every step a separate process, labels taken from the pool's
 * {@code s} as a person would type them: the rounds equal the one-shot {@code select --algorithm adpo
 * --schedule batch} run pick for pick; a crash at every commit point (test hook) and a real
 * {@code kill -9} followed by a re-run end in the uninterrupted state; refused commands (bad labels,
 * changed pool, changed config, a held lock) exit with their codes and change nothing.
 */
@Tag(DefaultLineOnly.TAG)
class OnlineRoundsIT {
  private static final int BATCH = 4;
  private static final int ROUNDS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Pools pool;
  static Map<String, Integer> logged = new HashMap<>();
  /** The uninterrupted run's state: picks in order, labels in order, rounds. */
  static List<String> referencePicks;
  static List<Integer> referenceLabels;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    pool = Pools.random(150, 5, 12, 41);
    PoolFiles.jsonl(pool, dir.resolve("pool.jsonl"));
    for (int i = 0; i < pool.size(); i++) {
      logged.put(String.valueOf(pool.ids[i]), pool.s[i]);
    }
    Path state = dir.resolve("reference");
    ok(CliRunner.run(dir, "online", "init", "--pool", "pool.jsonl", "--state", state.toString(), "--budget",
        String.valueOf(BATCH * ROUNDS), "--partitions", "3"));
    for (int k = 1; k <= ROUNDS; k++) {
      CliRunner.Result r = ok(CliRunner.run(dir, "online", "next", "--state", state.toString(), "--batch",
          String.valueOf(BATCH)));
      assertTrue(r.stdout().contains("round " + k + ": " + BATCH + " queries"), r.stdout());
      // One meaning of "round": the greedy loop's own rounds inside an online round are steps.
      assertFalse(r.stderr().matches("(?s).*progress: round \\d.*"), r.stderr());
      // Written by the driver (one CSV file), not by executors as Spark part files.
      try (java.util.stream.Stream<Path> files = Files.list(state.resolve("queries/round-" + k))) {
        assertEquals(List.of("queries.csv"), files.map(p -> p.getFileName().toString()).toList());
      }
      ok(CliRunner.run(dir, "online", "ingest", "--state", state.toString(), "--labels",
          labelsFor(state, k).toString()));
    }
    referencePicks = picks(state);
    referenceLabels = labels(state);
  }

  private static CliRunner.Result ok(CliRunner.Result r) {
    assertEquals(0, r.exitCode(), r.all());
    return r;
  }

  /** Fills round k's queries with the pool's logged labels, as people would, into labels-k.csv. */
  static Path labelsFor(Path state, int k) throws IOException {
    Path queries = state.resolve("queries/round-" + k);
    List<LabelsInput.Entry> asked = LabelsInput.read(queries, "csv");
    StringBuilder sb = new StringBuilder("id,s\n");
    for (LabelsInput.Entry e : asked) {
      assertEquals(null, e.s(), "the queries' label column is empty");
      sb.append(e.id()).append(',').append(logged.get(e.id())).append('\n');
    }
    Path out = state.resolveSibling(state.getFileName() + "-labels-" + k + ".csv");
    Files.writeString(out, sb.toString());
    return out;
  }

  static JsonNode manifest(Path state) throws IOException {
    return JSON.readTree(state.resolve("state.json").toFile());
  }

  /** The ids picked so far, in pick order, from the committed rounds. */
  static List<String> picks(Path state) throws IOException {
    List<String> ids = new ArrayList<>();
    for (JsonNode r : manifest(state).get("rounds")) {
      for (JsonNode p : JSON.readTree(state.resolve(r.get("picks").asText()).toFile()).get("picks")) {
        ids.add(p.get("id").asText());
      }
    }
    return ids;
  }

  static List<Integer> labels(Path state) throws IOException {
    List<Integer> out = new ArrayList<>();
    for (JsonNode r : manifest(state).get("rounds")) {
      if (!r.get("labels").isNull()) {
        for (String line : Files.readAllLines(state.resolve(r.get("labels").asText()))) {
          out.add(JSON.readTree(line).get("s").asInt());
        }
      }
    }
    return out;
  }

  /** Every file of the state (but the lock) with its content's hash. */
  static Map<String, String> snapshot(Path state) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(state)) {
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        if (!p.getFileName().toString().equals(".lock")) {
          m.put(state.relativize(p).toString(),
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
    return m;
  }

  /** Nothing but what the manifest names is left in rounds/, labels/ and queries/, and no temporary file. */
  static void assertNoGarbage(Path state) throws IOException {
    Set<String> live = new HashSet<>();
    for (JsonNode r : manifest(state).get("rounds")) {
      live.add(r.get("picks").asText());
      live.add(r.get("queries").asText());
      if (!r.get("labels").isNull()) {
        live.add(r.get("labels").asText());
      }
    }
    for (String sub : List.of("rounds", "labels", "queries")) {
      if (Files.isDirectory(state.resolve(sub))) {
        try (Stream<Path> s = Files.list(state.resolve(sub))) {
          for (Path p : s.collect(Collectors.toList())) {
            assertTrue(live.contains(sub + "/" + p.getFileName()), "garbage left: " + p);
          }
        }
      }
    }
    try (Stream<Path> s = Files.list(state)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "temporary file left");
    }
  }

  static List<JsonNode> jsonRows(Path selection) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(selection)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            rows.add(JSON.readTree(line));
          }
        }
      }
    }
    rows.sort((a, b) -> Long.compare(a.get("rank").asLong(), b.get("rank").asLong()));
    return rows;
  }

  @Test
  void roundsEqualTheOneShotOnlineRunAndExportTheLabelledPicks() throws Exception {
    Path out = dir.resolve("one-shot");
    ok(CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", out.toString(), "--algorithm", "adpo",
        "--oracle", "logged", "--schedule", "batch", "--batch", String.valueOf(BATCH), "--budget",
        String.valueOf(BATCH * ROUNDS), "--output-format", "jsonl"));
    List<JsonNode> oneShot = jsonRows(out.resolve("selection"));
    List<String> ids = oneShot.stream().map(r -> r.get("id").asText()).collect(Collectors.toList());
    assertEquals(ids, referencePicks, "same ids in the same order as the one-shot run");
    assertEquals(BATCH * ROUNDS, new HashSet<>(referencePicks).size(), "no id queried twice");

    Path state = dir.resolve("reference");
    // The budget is used up: next refuses; status says so.
    CliRunner.Result r = CliRunner.run(dir, "online", "next", "--state", state.toString(), "--batch", "4");
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("label budget is exhausted"), r.stderr());
    JsonNode status = JSON.readTree(ok(CliRunner.run(dir, "online", "status", "--state", state.toString(),
        "--json")).stdout());
    assertEquals(ROUNDS, status.get("round").asInt());
    assertFalse(status.get("awaiting_labels").asBoolean());
    assertTrue(status.get("queries").isNull());
    assertEquals(0, status.get("budget_left").asInt());
    assertEquals(BATCH * ROUNDS, status.get("labels").asInt());

    Path export = dir.resolve("export");
    ok(CliRunner.run(dir, "online", "export", "--state", state.toString(), "--output", export.toString(),
        "--output-format", "jsonl"));
    List<JsonNode> rows = jsonRows(export.resolve("selection"));
    assertEquals(BATCH * ROUNDS, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      assertEquals(referencePicks.get(i), row.get("id").asText());
      assertEquals(i + 1, row.get("rank").asInt());
      assertEquals(i / BATCH + 1, row.get("round").asInt());
      assertEquals((int) logged.get(row.get("id").asText()), row.get("s").asInt(), "s is the ingested label");
      assertEquals(oneShot.get(i).get("gain").asDouble(), row.get("gain").asDouble(), 0.0, "same gain");
      assertEquals(oneShot.get(i).get("phi"), row.get("phi"), "pool columns pass through");
      assertEquals(oneShot.get(i).get("comment"), row.get("comment"));
      assertPoolValues(row, "export");
      assertPoolValues(oneShot.get(i), "one-shot select");
    }
    JsonNode report = JSON.readTree(export.resolve("report.json").toFile());
    assertEquals("adpo", report.get("algorithm").asText());
    assertEquals(BATCH * ROUNDS, report.get("online").get("exported_picks").asInt());
    r = CliRunner.run(dir, "online", "export", "--state", state.toString(), "--output", export.toString());
    assertEquals(2, r.exitCode(), "an existing output is not replaced without --overwrite: " + r.all());
  }

  /** The row's pool columns hold the values the pool file was written from (not only equal ones). */
  private static void assertPoolValues(JsonNode row, String what) {
    long id = row.get("id").asLong();
    int p = -1;
    for (int i = 0; i < pool.size(); i++) {
      if (pool.ids[i] == id) {
        p = i;
      }
    }
    assertTrue(p >= 0, what + ": id " + id + " is not in the pool");
    JsonNode phi = row.get("phi");
    assertTrue(phi != null && phi.isArray() && phi.size() == pool.phi[p].length, what + " id " + id + ": phi " + phi);
    for (int j = 0; j < pool.phi[p].length; j++) {
      assertEquals(pool.phi[p][j], phi.get(j).asDouble(), 0.0, what + " id " + id + ": phi[" + j + "]");
    }
    assertTrue(row.has("b"), what + " id " + id + ": no b");
    assertEquals(pool.b[p], row.get("b").asDouble(), 0.0, what + " id " + id + ": b");
    assertEquals("pair " + p + ", \"quoted\"", row.get("comment").asText(), what + " id " + id + ": comment");
  }

  @Test
  void pmcRoundsEqualTheOneShotRun() throws Exception {
    Path state = dir.resolve("pmc");
    ok(CliRunner.run(dir, "online", "init", "--pool", "pool.jsonl", "--state", state.toString(), "--algorithm",
        "pmc"));
    for (int k = 1; k <= 2; k++) {
      ok(CliRunner.run(dir, "online", "next", "--state", state.toString(), "--batch", "3"));
      ok(CliRunner.run(dir, "online", "ingest", "--state", state.toString(), "--labels",
          labelsFor(state, k).toString()));
    }
    Path out = dir.resolve("pmc-one-shot");
    ok(CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", out.toString(), "--algorithm", "pmc",
        "--schedule", "batch", "--batch", "3", "--budget", "6", "--output-format", "jsonl"));
    assertEquals(jsonRows(out.resolve("selection")).stream().map(r -> r.get("id").asText())
        .collect(Collectors.toList()), picks(state));
  }

  @Test
  void crashAtEveryCommitPointAndKillNineThenRerunGiveTheUninterruptedState() throws Exception {
    Path state = dir.resolve("crashed");
    String st = state.toString();
    ok(CliRunner.run(dir, "online", "init", "--pool", "pool.jsonl", "--state", st, "--budget",
        String.valueOf(BATCH * ROUNDS), "--partitions", "3"));
    ok(CliRunner.run(dir, "online", "init", "--pool", "pool.jsonl", "--state", st, "--budget",
        String.valueOf(BATCH * ROUNDS), "--partitions", "3")); // the same init again: a no-op

    // Round 1: crash after the side files, before the manifest, for next and then for ingest.
    Map<String, String> before = snapshot(state);
    CliRunner.Result r = CliRunner.run(dir, Map.of("ADPO_TEST_CRASH_AT", "next:after-side-files"), "online", "next",
        "--state", st, "--batch", String.valueOf(BATCH));
    assertEquals(137, r.exitCode(), r.all());
    assertEquals(before.get("state.json"), snapshot(state).get("state.json"), "the manifest is the old one");
    assertTrue(Files.exists(state.resolve("rounds/round-1.json")), "side files were written before the crash");
    assertEquals(0, manifest(state).get("rounds").size());
    ok(CliRunner.run(dir, "online", "next", "--state", st, "--batch", String.valueOf(BATCH)));
    assertEquals(referencePicks.subList(0, BATCH), picks(state));
    Path labels1 = labelsFor(state, 1);
    before = snapshot(state);
    r = CliRunner.run(dir, Map.of("ADPO_TEST_CRASH_AT", "ingest:after-side-files"), "online", "ingest", "--state", st,
        "--labels", labels1.toString());
    assertEquals(137, r.exitCode(), r.all());
    assertEquals(before.get("state.json"), snapshot(state).get("state.json"));
    assertTrue(manifest(state).get("rounds").get(0).get("labels").isNull(), "round 1 still open");
    ok(CliRunner.run(dir, "online", "ingest", "--state", st, "--labels", labels1.toString()));

    // Round 2: crash right after the manifest; the re-run finds the work done.
    r = CliRunner.run(dir, Map.of("ADPO_TEST_CRASH_AT", "next:after-manifest"), "online", "next", "--state", st,
        "--batch", String.valueOf(BATCH));
    assertEquals(137, r.exitCode(), r.all());
    assertEquals(2, manifest(state).get("rounds").size(), "round 2 was committed");
    r = ok(CliRunner.run(dir, "online", "next", "--state", st, "--batch", String.valueOf(BATCH)));
    assertTrue(r.stdout().contains("round 2 was already issued and awaits labels"), r.stdout());
    Path labels2 = labelsFor(state, 2);
    r = CliRunner.run(dir, Map.of("ADPO_TEST_CRASH_AT", "ingest:after-manifest"), "online", "ingest", "--state", st,
        "--labels", labels2.toString());
    assertEquals(137, r.exitCode(), r.all());
    r = ok(CliRunner.run(dir, "online", "ingest", "--state", st, "--labels", labels2.toString()));
    assertTrue(r.stdout().contains("already ingested"), r.stdout());

    // Round 3: a real kill -9 of the running next, then the re-run.
    Map<String, String> beforeKill = snapshot(state);
    List<String> cmd = List.of(CliRunner.projectDir().resolve("bin/adpo").toString(), "online", "next", "--state",
        st, "--batch", String.valueOf(BATCH));
    Path err = dir.resolve("killed-next.err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(err.toFile());
    pb.environment().put("ADPO_JAVA_OPTS", "-Xmx1g");
    Process p = pb.start();
    // Kill while it works: once the greedy loop has logged a step (the round is being computed and
    // written), or after 60 s at the latest.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.isAlive() && System.nanoTime() < deadline
        && !Files.readString(err, StandardCharsets.UTF_8).contains("progress: step")) {
      Thread.sleep(50);
    }
    boolean killed = p.isAlive();
    // SIGKILL to the JVM: bin/adpo runs java as its child (it filters the JVM's stderr), so the JVM
    // is killed first, then the wrapper.
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(60, TimeUnit.SECONDS);
    assertTrue(killed, "next was still running when it was killed: " + Files.readString(err));
    int roundsAfterKill = manifest(state).get("rounds").size();
    assertTrue(roundsAfterKill == 2 || roundsAfterKill == 3, "the last committed state: " + roundsAfterKill);
    if (roundsAfterKill == 2) {
      assertEquals(beforeKill.get("state.json"), snapshot(state).get("state.json"));
    }
    ok(CliRunner.run(dir, "online", "next", "--state", st, "--batch", String.valueOf(BATCH)));
    ok(CliRunner.run(dir, "online", "ingest", "--state", st, "--labels", labelsFor(state, 3).toString()));

    assertEquals(referencePicks, picks(state), "same picks as the uninterrupted run");
    assertEquals(referenceLabels, labels(state), "same labels");
    assertEquals(ROUNDS, manifest(state).get("rounds").size());
    Set<String> queried = new HashSet<>();
    for (int k = 1; k <= ROUNDS; k++) {
      for (LabelsInput.Entry e : LabelsInput.read(state.resolve("queries/round-" + k), "csv")) {
        assertTrue(queried.add(e.id()), "id " + e.id() + " queried twice");
      }
    }
    assertEquals(BATCH * ROUNDS, queried.size());
    assertNoGarbage(state);
    // The state's files equal the uninterrupted run's (the queries' part file names are random).
    Map<String, String> a = snapshot(state);
    Map<String, String> b = snapshot(dir.resolve("reference"));
    a.keySet().removeIf(k -> k.startsWith("queries/"));
    b.keySet().removeIf(k -> k.startsWith("queries/"));
    assertEquals(b, a);
  }

  @Test
  void refusedCommandsExitWithTheirCodeAndChangeNothing() throws Exception {
    Path poolFile = dir.resolve("pool-refusals.jsonl");
    Files.copy(dir.resolve("pool.jsonl"), poolFile);
    Path state = dir.resolve("refusals");
    String st = state.toString();
    ok(CliRunner.run(dir, "online", "init", "--pool", poolFile.toString(), "--state", st));
    CliRunner.Result r = CliRunner.run(dir, "online", "init", "--pool", poolFile.toString(), "--state", st,
        "--beta", "2");
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("already initialised with a different configuration"), r.stderr());
    assertTrue(r.stderr().contains("beta: recorded 1.0, this init 2.0") && !r.stderr().contains("SHA-256"), r.stderr());
    ok(CliRunner.run(dir, "online", "next", "--state", st, "--batch", "3"));
    ok(CliRunner.run(dir, "online", "ingest", "--state", st, "--labels", labelsFor(state, 1).toString()));
    ok(CliRunner.run(dir, "online", "next", "--state", st, "--batch", "3"));
    List<String> round1 = picks(state).subList(0, 3);
    List<String> round2 = picks(state).subList(3, 6);
    String unpicked = logged.keySet().stream().filter(id -> !round1.contains(id) && !round2.contains(id))
        .findFirst().orElseThrow();
    Map<String, String> before = snapshot(state);

    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("unknown", "id,s\n" + round2.get(0) + ",1\n" + round2.get(1) + ",0\n" + round2.get(2) + ",1\n"
        + unpicked + ",1\n");
    cases.put("not in the open round", "id,s\n" + round2.get(0) + ",1\n" + round2.get(1) + ",0\n" + round2.get(2)
        + ",1\n" + round1.get(0) + ",1\n");
    cases.put("duplicate", "id,s\n" + round2.get(0) + ",1\n" + round2.get(1) + ",0\n" + round2.get(2) + ",1\n"
        + round2.get(1) + ",1\n");
    cases.put("not 0 or 1", "id,s\n" + round2.get(0) + ",1\n" + round2.get(1) + ",yes\n" + round2.get(2) + ",1\n");
    cases.put("no label", "id,s\n" + round2.get(0) + ",1\n" + round2.get(1) + ",\n" + round2.get(2) + ",1\n");
    cases.put("missing labels", "id,s\n" + round2.get(0) + ",1\n");
    Map<String, String> expected = Map.of("unknown", "id " + unpicked + " (", "not in the open round",
        "id " + round1.get(0) + " (", "duplicate", "id " + round2.get(1) + " (", "not 0 or 1",
        "id " + round2.get(1) + " (", "no label", "id " + round2.get(1) + " (", "missing labels",
        round2.get(1) + ", " + round2.get(2));
    int i = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path f = dir.resolve("bad-" + (i++) + ".csv");
      Files.writeString(f, c.getValue());
      r = CliRunner.run(dir, "online", "ingest", "--state", st, "--labels", f.toString());
      assertEquals(3, r.exitCode(), c.getKey() + ": " + r.all());
      assertTrue(r.stderr().contains("error: labels file " + f + " rejected") && r.stderr().contains(c.getKey())
          && r.stderr().contains(expected.get(c.getKey())), c.getKey() + ": " + r.stderr());
      assertEquals(before, snapshot(state), c.getKey() + ": the state is unchanged");
    }
    // The labels of the closed round 1 again: a no-op; different labels for it: refused.
    Path labels1 = state.resolveSibling("refusals-labels-1.csv");
    r = ok(CliRunner.run(dir, "online", "ingest", "--state", st, "--labels", labels1.toString()));
    assertTrue(r.stdout().contains("already ingested"), r.stdout());
    String flipped = Files.readString(labels1).replace(",0\n", ",2\n").replace(",1\n", ",0\n").replace(",2\n", ",1\n");
    Path other = dir.resolve("round1-flipped.csv");
    Files.writeString(other, flipped);
    r = CliRunner.run(dir, "online", "ingest", "--state", st, "--labels", other.toString());
    assertNotEquals(0, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("queried in round 1, not in the open round 2"), r.stderr());
    assertEquals(before, snapshot(state));

    // A held lock: the second command fails fast.
    try (FileChannel ch = FileChannel.open(state.resolve(".lock"), StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      r = CliRunner.run(dir, "online", "next", "--state", st, "--batch", "3");
      assertEquals(2, r.exitCode(), r.all());
      assertTrue(r.stderr().contains("is in use by another command"), r.stderr());
    }

    // A touched pool file: every command refuses (exit 3) naming the file; restored, all is well.
    FileTime mtime = Files.getLastModifiedTime(poolFile);
    Files.setLastModifiedTime(poolFile, FileTime.fromMillis(mtime.toMillis() + 60_000));
    for (String[] cmd : List.of(new String[] {"status", "--json"}, new String[] {"next", "--batch", "3"},
        new String[] {"ingest", "--labels", labels1.toString()})) {
      List<String> args = new ArrayList<>(List.of("online", cmd[0], "--state", st));
      args.addAll(List.of(cmd).subList(1, cmd.length));
      r = CliRunner.run(dir, args.toArray(new String[0]));
      assertEquals(3, r.exitCode(), r.all());
      assertTrue(r.stderr().contains("changed since init: file pool-refusals.jsonl was modified"), r.stderr());
    }
    assertEquals(before, snapshot(state));
    Files.setLastModifiedTime(poolFile, mtime);
    ok(CliRunner.run(dir, "online", "status", "--state", st));

    // An edited config.json: refused with exit 2 naming the file.
    Path config = state.resolve("config.json");
    String original = Files.readString(config);
    Files.writeString(config, original.replace("\"beta\" : 1.0", "\"beta\" : 2.0"));
    assertNotEquals(original, Files.readString(config));
    before = snapshot(state);
    for (String[] cmd : List.of(new String[] {"status"}, new String[] {"next", "--batch", "3"},
        new String[] {"ingest", "--labels", labels1.toString()})) {
      List<String> args = new ArrayList<>(List.of("online", cmd[0], "--state", st));
      args.addAll(List.of(cmd).subList(1, cmd.length));
      r = CliRunner.run(dir, args.toArray(new String[0]));
      assertEquals(2, r.exitCode(), r.all());
      assertTrue(r.stderr().contains("config.json changed since init"), r.stderr());
    }
    assertEquals(before, snapshot(state));
    Files.writeString(config, original);
    JsonNode status = JSON.readTree(ok(CliRunner.run(dir, "online", "status", "--state", st, "--json")).stdout());
    assertTrue(status.get("awaiting_labels").asBoolean());
    assertEquals(2, status.get("round").asInt());
    assertEquals(state.resolve("queries/round-2").toString(), status.get("queries").asText());
    assertTrue(status.get("budget_left").isNull(), "no budget was set");
  }
}
