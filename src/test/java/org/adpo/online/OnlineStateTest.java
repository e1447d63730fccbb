package org.adpo.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.adpo.config.SelectionSettings;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;
import org.adpo.io.AtomicFiles;
import org.adpo.select.Algorithm;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol, manifest, label checks and fingerprint of online states, without Spark. */
class OnlineStateTest {
  @TempDir Path dir;

  private static Manifest manifest(List<Manifest.Round> rounds) {
    return new Manifest(Manifest.FORMAT_VERSION, 3, "c0ffee", "f00d", rounds, 1.25, -0.5);
  }

  @Test
  void manifestRoundTripsAndDerivesTheOpenRound() {
    Manifest m = manifest(List.of(
        new Manifest.Round(1, 4, "rounds/round-1.json", "queries/round-1", "labels/round-1.jsonl"),
        new Manifest.Round(2, 3, "rounds/round-2.json", "queries/round-2", null)));
    Manifest back = Manifest.parse(m.toJson(), "state.json");
    assertEquals(m, back);
    assertEquals(2, back.open().round());
    assertEquals(7, back.picks());
    assertEquals(4, back.labels());
    Manifest closed = back.withLabels("labels/round-2.jsonl");
    assertNull(closed.open());
    assertEquals(4, closed.generation());
    assertEquals(7, closed.labels());
  }

  @Test
  void manifestOfAnotherFormatVersionIsRefused() {
    byte[] bytes = new String(manifest(List.of()).toJson(), StandardCharsets.UTF_8)
        .replace("\"format_version\" : 1", "\"format_version\" : 9").getBytes(StandardCharsets.UTF_8);
    UsageException e = assertThrows(UsageException.class, () -> Manifest.parse(bytes, "state.json"));
    assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
  }

  @Test
  void atomicWriteReplacesTheWholeFileAndLeavesNoTemporaryFile() throws Exception {
    Path f = dir.resolve("state.json");
    AtomicFiles.write(f, "first, a longer content".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(f, "second".getBytes(StandardCharsets.UTF_8));
    assertEquals("second", Files.readString(f));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList());
    }
  }

  @Test
  void commitThenGarbageCollectionKeepsExactlyWhatTheManifestNames() throws Exception {
    OnlineState state = new OnlineState(dir);
    Manifest m = manifest(List.of(
        new Manifest.Round(1, 2, "rounds/round-1.json", "queries/round-1", "labels/round-1.jsonl"),
        new Manifest.Round(2, 2, "rounds/round-2.json", "queries/round-2", null)));
    state.commit(m);
    for (String f : List.of("rounds/round-1.json", "rounds/round-2.json", "labels/round-1.jsonl",
        "queries/round-1/part-0.csv", "queries/round-2/part-0.csv",
        // leftovers of interrupted commands: a round, labels and queries not named, temporary files
        "rounds/round-3.json", "labels/round-2.jsonl", "queries/round-3/part-0.csv",
        "queries/.round-3.tmp-1234/part-0.csv", ".state.json.tmp-5678", "rounds/.round-3.json.tmp-1")) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.writeString(dir.resolve(f), f);
    }
    state.collectGarbage(state.manifest());
    for (String kept : List.of("state.json", "rounds/round-1.json", "rounds/round-2.json", "labels/round-1.jsonl",
        "queries/round-1/part-0.csv", "queries/round-2/part-0.csv")) {
      assertTrue(Files.exists(dir.resolve(kept)), kept);
    }
    for (String gone : List.of("rounds/round-3.json", "labels/round-2.jsonl", "queries/round-3",
        "queries/.round-3.tmp-1234", ".state.json.tmp-5678", "rounds/.round-3.json.tmp-1")) {
      assertFalse(Files.exists(dir.resolve(gone)), gone);
    }
    assertEquals(m, state.manifest());
  }

  @Test
  void secondLockOnOneStateFailsFast() {
    OnlineState state = new OnlineState(dir);
    try (StateLock first = state.lock()) {
      UsageException e = assertThrows(UsageException.class, state::lock);
      assertTrue(e.getMessage().contains("in use by another command"), e.getMessage());
    }
    state.lock().close(); // released: free again
  }

  @Test
  void roundFileKeepsScalesAndThetaBitForBit() {
    double scale = Math.nextUp(0.1234567890123);
    RoundFile f = new RoundFile(2, List.of(new RoundFile.Entry(1005L, 1005, 5, 0.25, 0.2, scale),
        new RoundFile.Entry("p-7", 3, 6, 0.125, 0.1, Math.PI / 7)), new double[] {Math.E / 3, -0.0, 1e-300}, 1.5,
        new org.adpo.io.SelectionReport.Fit(7, 9, 0.6931471805599453, 3.1e-10, true, Math.E / 3, null));
    RoundFile back = RoundFile.parse(f.toJson(), "round-2.json");
    assertEquals(f.fit(), back.fit(), "the refit's diagnostics come back as written");
    assertEquals(Double.doubleToRawLongBits(scale), Double.doubleToRawLongBits(back.picks().get(0).scale()));
    assertEquals(Double.doubleToRawLongBits(Math.PI / 7), Double.doubleToRawLongBits(back.picks().get(1).scale()));
    assertEquals(1005L, back.picks().get(0).id());
    assertEquals("p-7", back.picks().get(1).id());
    assertArrayEquals(f.theta(), back.theta());
  }

  @Test
  void configJsonIsDeterministicAndRoundTrips() {
    SelectionSettings s = SelectionSettings.builder().algorithm(Algorithm.PMC).budget(1).beta(0.5).gamma(2.0)
        .lambda(3.0).seed(7).partitions(3).column("id", "pair").schedule("batch").build();
    OnlineConfig c = new OnlineConfig("file:/data/pool", "auto", 40, s);
    assertArrayEquals(c.toJson(), new OnlineConfig("file:/data/pool", "auto", 40, s).toJson());
    OnlineConfig back = OnlineConfig.parse(c.toJson(), "config.json");
    assertEquals(c, back);
    assertThrows(UsageException.class, () -> new OnlineConfig("p", "auto", 0,
        SelectionSettings.builder().algorithm(Algorithm.ADPO_PLUS).budget(1).columns(s.columns()).build()));
  }

  private static List<LabelsInput.Entry> entries(String... idAndS) {
    List<LabelsInput.Entry> out = new java.util.ArrayList<>();
    for (int i = 0; i < idAndS.length; i += 2) {
      out.add(new LabelsInput.Entry(idAndS[i], idAndS[i + 1], "f line " + (i / 2 + 2)));
    }
    return out;
  }

  private static final Map<Integer, List<String>> IDS = new LinkedHashMap<>();
  private static final Map<Integer, int[]> CLOSED = Map.of(1, new int[] {1, 0});

  static {
    IDS.put(1, List.of("10", "11"));
    IDS.put(2, List.of("20", "21", "22"));
  }

  private static String rejected(List<LabelsInput.Entry> e) {
    return assertThrows(BadInputException.class, () -> LabelCheck.check("f", e, IDS, CLOSED, 2)).getMessage();
  }

  @Test
  void labelsOfTheOpenRoundAreAcceptedInPickOrder() {
    LabelCheck.Outcome o = LabelCheck.check("f", entries("22", "1", "20", "0", "21", "1.0"), IDS, CLOSED, 2);
    LabelCheck.Accepted a = assertInstanceOf(LabelCheck.Accepted.class, o);
    assertEquals(2, a.round());
    assertArrayEquals(new int[] {0, 1, 1}, a.labels());
  }

  @Test
  void everyBadLabelsFileIsRejectedNamingTheIdAndTheProblem() {
    String base = "labels file f rejected, the state is unchanged";
    String m = rejected(entries("20", "1", "21", "0", "22", "1", "99", "1"));
    assertTrue(m.startsWith(base) && m.contains("id 99 (f line 5): unknown id"), m);
    m = rejected(entries("20", "1", "21", "0", "22", "1", "10", "1"));
    assertTrue(m.contains("id 10 (f line 5): queried in round 1, not in the open round 2"), m);
    m = rejected(entries("20", "1", "21", "0", "22", "1", "21", "1"));
    assertTrue(m.contains("id 21 (f line 5): duplicate id, also at f line 3"), m);
    m = rejected(entries("20", "1", "21", "2", "22", "1"));
    assertTrue(m.contains("id 21 (f line 3): label '2' is not 0 or 1"), m);
    m = rejected(entries("20", "1", "21", null, "22", "1"));
    assertTrue(m.contains("id 21 (f line 3): no label"), m);
    m = rejected(entries("20", "1"));
    assertTrue(m.contains("missing labels for 2 of the 3 ids queried in round 2: ids 21, 22"), m);
  }

  @Test
  void theLabelsOfAClosedRoundAreRecognisedAndADifferentFileIsRefused() {
    LabelCheck.Outcome o = LabelCheck.check("f", entries("11", "0", "10", "1"), IDS, CLOSED, 2);
    assertEquals(1, assertInstanceOf(LabelCheck.AlreadyIngested.class, o).round());
    o = LabelCheck.check("f", entries("10", "1", "11", "0"), IDS, CLOSED, 0);
    assertInstanceOf(LabelCheck.AlreadyIngested.class, o);
    UsageException e = assertThrows(UsageException.class,
        () -> LabelCheck.check("f", entries("10", "0", "11", "0"), IDS, CLOSED, 0));
    assertTrue(e.getMessage().contains("round 1 is already closed"), e.getMessage());
  }

  @Test
  void csvWithDoubledQuotesABackslashLineBreaksAByteOrderMarkAndBooleanJsonLabels() throws Exception {
    Path f = dir.resolve("labels.csv");
    Files.writeString(f, "id,round,text,s\n"
        + "20,2,\"a, \"\"quoted\"\" one, C:\\\",1\n"
        + "21,2,\"multi\nline \"\"x\"\"\",\n"
        + "\n"
        + "22,2,plain,0\n");
    List<LabelsInput.Entry> e = LabelsInput.read(f, LabelsInput.formatOf(f));
    assertEquals(3, e.size());
    assertEquals(new LabelsInput.Entry("20", "1", f + " line 2"), e.get(0));
    assertEquals(new LabelsInput.Entry("21", null, f + " line 3"), e.get(1));
    assertEquals(new LabelsInput.Entry("22", "0", f + " line 6"), e.get(2));
    Path j = dir.resolve("labels.jsonl");
    Files.writeString(j, "{\"id\": 20, \"s\": 1}\n{\"id\": \"p-1\", \"s\": null}\n");
    assertEquals(List.of(new LabelsInput.Entry("20", "1", j + " line 1"), new LabelsInput.Entry("p-1", null,
        j + " line 2")), LabelsInput.read(j, LabelsInput.formatOf(j)));
    Path bom = dir.resolve("bom.csv"); // as spreadsheet programs save CSV
    Files.writeString(bom, "\uFEFFid,s\r\n30,1\r\n31,0\r\n");
    assertEquals(List.of(new LabelsInput.Entry("30", "1", bom + " line 2"), new LabelsInput.Entry("31", "0",
        bom + " line 3")), LabelsInput.read(bom, LabelsInput.formatOf(bom)));
    Path bools = dir.resolve("bools.jsonl");
    Files.writeString(bools, "{\"id\": 40, \"s\": true}\n{\"id\": 41, \"s\": false}\n");
    assertEquals(List.of(new LabelsInput.Entry("40", "1", bools + " line 1"), new LabelsInput.Entry("41", "0",
        bools + " line 2")), LabelsInput.read(bools, LabelsInput.formatOf(bools)));
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"id\": 50, \"s\": 1}\nsecret text of a row\n");
    org.adpo.error.BadInputException x = assertThrows(org.adpo.error.BadInputException.class,
        () -> LabelsInput.read(bad, LabelsInput.formatOf(bad)));
    assertFalse(x.getMessage().contains("secret"), "the file's text is not quoted: " + x.getMessage());
    assertTrue(x.getMessage().endsWith("line 2: not a JSON object (it does not parse as JSON; the line's text is not"
        + " printed)"), x.getMessage());
  }

  @Test
  void queriesCsvWrittenOnTheDriverReadsBackAsWritten() throws Exception {
    // Fields with commas, doubled quotes, a backslash before a quote, line breaks; empty and null.
    List<String> ids = List.of("plain", "a, b", "say \"hi\"", "back\\slash \\\" q", "two\nlines", "cr\r\nlf", "\\");
    List<List<String>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      rows.add(java.util.Arrays.asList(ids.get(i), "2", String.valueOf(i + 1), i == 0 ? "" : "x", null));
    }
    String csv = CsvText.write(List.of("id", "round", "rank", "text", "s"), rows);
    assertTrue(csv.startsWith("id,round,rank,text,s\r\nplain,2,1,\"\",\r\n\"a, b\",2,2,x,\r\n"), csv);
    assertTrue(csv.contains("\"say \"\"hi\"\"\"") && csv.contains("\"back\\slash \\\"\" q\""), csv);
    Path f = dir.resolve("queries.csv");
    Files.writeString(f, csv);
    List<LabelsInput.Entry> back = LabelsInput.read(f, "csv");
    assertEquals(ids, back.stream().map(LabelsInput.Entry::id).toList());
    assertTrue(back.stream().allMatch(e -> e.s() == null), "the label column is empty");
  }

  @Test
  void fingerprintChangesWhenAPoolFileIsTouchedAddedOrRemovedAndNamesIt() throws Exception {
    Path pool = dir.resolve("pool");
    Files.createDirectories(pool.resolve("sub"));
    Files.writeString(pool.resolve("part-0.parquet"), "aaaa");
    Files.writeString(pool.resolve("sub/part-1.parquet"), "bb");
    Files.writeString(pool.resolve("_SUCCESS"), "");
    Files.writeString(pool.resolve(".part-0.parquet.crc"), "x");
    Configuration conf = new Configuration();
    PoolFingerprint before = PoolFingerprint.of(conf, pool.toString(), 10, 4);
    assertEquals(List.of("part-0.parquet", "sub/part-1.parquet"),
        before.files().stream().map(PoolFingerprint.FileEntry::path).toList());
    assertEquals(before.hash(), PoolFingerprint.of(conf, pool.toString(), 10, 4).hash());
    assertFalse(before.hash().equals(PoolFingerprint.of(conf, pool.toString(), 11, 4).hash()));
    Files.writeString(pool.resolve("_SUCCESS"), "ignored");
    assertEquals(before.hash(), PoolFingerprint.of(conf, pool.toString(), 10, 4).hash());

    Path p0 = pool.resolve("part-0.parquet");
    Files.setLastModifiedTime(p0, FileTime.fromMillis(Files.getLastModifiedTime(p0).toMillis() + 5000));
    PoolFingerprint touched = PoolFingerprint.of(conf, pool.toString(), 10, 4);
    assertFalse(before.hash().equals(touched.hash()));
    assertTrue(touched.describeChange(before).contains("file part-0.parquet was modified"),
        touched.describeChange(before));
    Files.delete(pool.resolve("sub/part-1.parquet"));
    Files.writeString(pool.resolve("part-2.parquet"), "cc");
    String change = PoolFingerprint.of(conf, pool.toString(), 10, 4).describeChange(before);
    assertTrue(change.contains("file part-2.parquet was added") && change.contains("file sub/part-1.parquet was removed"),
        change);
  }

  private static OnlineRounds noSpark(Path dir) {
    return new OnlineRounds(dir, () -> {
      throw new AssertionError("this step must not start Spark");
    }, new Configuration());
  }

  @Test
  void initRefusesADirectoryWithOtherFilesAndLeavesNoLockThere() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");
    SelectionSettings s = SelectionSettings.builder().algorithm(Algorithm.ADPO).budget(1).schedule("batch").build();
    UsageException e = assertThrows(UsageException.class,
        () -> noSpark(dir).init(new OnlineConfig("file:/nowhere", "auto", 0, s)));
    assertTrue(e.getMessage().contains("is not empty and holds no online state"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(".lock")));
  }

  /** A state with round 1 (ids 10, 11) closed and round 2 (ids 20, 21) open, built by hand. */
  private OnlineState handMadeState(Path state) throws Exception {
    Path pool = dir.resolve("pool.jsonl");
    Files.writeString(pool, "{}\n");
    SelectionSettings s = SelectionSettings.builder().algorithm(Algorithm.ADPO).budget(1).schedule("batch").build();
    OnlineConfig c = new OnlineConfig(pool.toUri().toString(), "auto", 0, s);
    PoolFingerprint fp = PoolFingerprint.of(new Configuration(), c.pool(), 4, 2);
    Files.createDirectories(state);
    AtomicFiles.write(state.resolve(OnlineState.CONFIG), c.toJson());
    AtomicFiles.write(state.resolve(OnlineState.POOL), OnlineState.poolJson(fp));
    OnlineState st = new OnlineState(state);
    RoundFile r1 = new RoundFile(1, List.of(new RoundFile.Entry(10L, 10, 1, 0.5, 0.25, 0.5),
        new RoundFile.Entry(11L, 11, 2, 0.4, 0.25, 0.5)), new double[2], 0.9, null);
    RoundFile r2 = new RoundFile(2, List.of(new RoundFile.Entry(20L, 20, 3, 0.3, 0.2, 0.4),
        new RoundFile.Entry(21L, 21, 4, 0.2, 0.2, 0.4)), new double[] {0.5, -0.5}, 1.1, null);
    st.writeRound("rounds/round-1.json", r1);
    st.writeRound("rounds/round-2.json", r2);
    st.writeLabels("labels/round-1.jsonl", r1, new int[] {1, 0});
    st.commit(new Manifest(Manifest.FORMAT_VERSION, 4, AtomicFiles.sha256(c.toJson()), fp.hash(), List.of(
        new Manifest.Round(1, 2, "rounds/round-1.json", "queries/round-1", "labels/round-1.jsonl"),
        new Manifest.Round(2, 2, "rounds/round-2.json", "queries/round-2", null)), 0.7, 1.1));
    return st;
  }

  @Test
  void reInitWithOtherSettingsNamesTheSettingsThatDiffer() throws Exception {
    Path state = dir.resolve("state");
    handMadeState(state);
    SelectionSettings s = SelectionSettings.builder().algorithm(Algorithm.ADPO).budget(1).beta(2).seed(7)
        .schedule("batch").build();
    OnlineConfig other = new OnlineConfig(dir.resolve("pool.jsonl").toUri().toString(), "auto", 0, s);
    UsageException e = assertThrows(UsageException.class, () -> noSpark(state).init(other));
    String msg = e.getMessage();
    assertTrue(msg.contains("beta: recorded 1.0, this init 2.0") && msg.contains("seed: recorded 1, this init 7"), msg);
    assertFalse(msg.contains("SHA-256") || msg.contains("gamma"), msg);
  }

  @Test
  void ingestCommitsTheOpenRoundOnceWithoutSpark() throws Exception {
    Path state = dir.resolve("state");
    OnlineState st = handMadeState(state);
    Files.writeString(state.resolve("labels/round-2.jsonl"), "garbage of a killed ingest");
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "id,s\n20,1\n21,3\n");
    byte[] manifest = Files.readAllBytes(state.resolve(OnlineState.MANIFEST));
    assertThrows(BadInputException.class, () -> noSpark(state).ingest(bad));
    assertArrayEquals(manifest, Files.readAllBytes(state.resolve(OnlineState.MANIFEST)), "nothing committed");

    Path good = dir.resolve("good.csv");
    Files.writeString(good, "s,id\n0,21\n1,20\n");
    String msg = noSpark(state).ingest(good);
    assertTrue(msg.contains("round 2: ingested 2 labels (1 one, 1 zero)"), msg);
    Manifest m = st.manifest();
    assertNull(m.open());
    assertEquals(5, m.generation());
    assertArrayEquals(new int[] {1, 0}, st.labels(m.rounds().get(1), st.round(m.rounds().get(1))));
    assertTrue(noSpark(state).ingest(good).contains("already ingested"));
    assertEquals(m, st.manifest());
    org.adpo.io.OnlineReport.Status status = noSpark(state).status();
    assertEquals(false, status.awaitingLabels());
    assertEquals(4L, status.labels());
    assertNull(status.budgetLeft());
  }

  /** --round K: the scheduler's "round K" tasks cannot issue or ingest another round, and re-runs are no-ops. */
  @Test
  void explicitRoundsMakeSchedulerReRunsNoOpsAndRefuseOtherRounds() throws Exception {
    Path state = dir.resolve("state");
    OnlineState st = handMadeState(state);
    Manifest before = st.manifest();
    // Rounds 1 (closed) and 2 (open) exist: re-running "next round 1" or "next round 2" does nothing, without Spark.
    assertTrue(noSpark(state).next(2, 1).contains("round 1 was already issued"));
    assertTrue(noSpark(state).next(2, 2).contains("round 2 was already issued"));
    UsageException waiting = assertThrows(UsageException.class, () -> noSpark(state).next(2, 3));
    assertTrue(waiting.getMessage().contains("round 2 still awaits labels"), waiting.getMessage());
    UsageException ahead = assertThrows(UsageException.class, () -> noSpark(state).next(2, 5));
    assertTrue(ahead.getMessage().contains("issue round 3 first"), ahead.getMessage());
    Path good = dir.resolve("round2.csv");
    Files.writeString(good, "id,s\n20,1\n21,0\n");
    UsageException wrong = assertThrows(UsageException.class, () -> noSpark(state).ingest(good, 3));
    assertTrue(wrong.getMessage().contains("holds the labels of round 2, but --round 3"), wrong.getMessage());
    assertEquals(before, st.manifest(), "nothing committed by refused or no-op steps");
    assertTrue(noSpark(state).ingest(good, 2).contains("round 2: ingested 2 labels"));
    assertTrue(noSpark(state).ingest(good, 2).contains("already ingested"));
    assertTrue(noSpark(state).next(2, 2).contains("labels ingested"));
  }

  @Test
  void aChangedConfigOrPoolIsRefusedByEveryStep() throws Exception {
    Path state = dir.resolve("state");
    handMadeState(state);
    Path labels = dir.resolve("l.csv");
    Files.writeString(labels, "id,s\n20,1\n21,0\n");
    Path pool = dir.resolve("pool.jsonl");
    Files.writeString(pool, "{}\n{}\n"); // another length
    BadInputException e = assertThrows(BadInputException.class, () -> noSpark(state).ingest(labels));
    assertTrue(e.getMessage().contains("changed since init: file pool.jsonl changed length (3 -> 6 bytes)"),
        e.getMessage());
    assertThrows(BadInputException.class, () -> noSpark(state).status());
    Files.writeString(pool, "{}\n");
    Files.setLastModifiedTime(pool, FileTime.fromMillis(0));
    assertThrows(BadInputException.class, () -> noSpark(state).next(2));
    handMadeState(state); // fingerprint of the pool as it is now
    Path config = state.resolve(OnlineState.CONFIG);
    Files.writeString(config, Files.readString(config).replace("\"lambda\" : 1.0", "\"lambda\" : 3.0"));
    UsageException u = assertThrows(UsageException.class, () -> noSpark(state).ingest(labels));
    assertTrue(u.getMessage().contains("config.json changed since init"), u.getMessage());
    assertThrows(UsageException.class, () -> noSpark(state).next(2));
  }

  @Test
  void aDeletedOrTruncatedManifestIsReportedWithTheWayBackAndWithoutItsText() throws Exception {
    Path st = Files.createDirectories(dir.resolve("damaged"));
    Files.writeString(st.resolve(OnlineState.CONFIG), "{}");
    UsageException lost = assertThrows(UsageException.class, () -> new OnlineState(st).manifest());
    assertTrue(lost.getMessage().contains("has lost its manifest state.json"), lost.getMessage());
    assertTrue(lost.getMessage().contains("'adpo online init' in a new one"), lost.getMessage());
    Files.writeString(st.resolve(OnlineState.MANIFEST), "{ \"format_version\" : 1, \"generation\" : 3, \"secret");
    UsageException cut = assertThrows(UsageException.class, () -> new OnlineState(st).manifest());
    assertTrue(cut.getMessage().contains("is damaged (truncated or not JSON)"), cut.getMessage());
    assertFalse(cut.getMessage().contains("secret"), "the manifest's text is not quoted: " + cut.getMessage());
    Files.writeString(st.resolve(OnlineState.MANIFEST), "{ \"format_version\" : 1 }");
    UsageException missing = assertThrows(UsageException.class, () -> new OnlineState(st).manifest());
    assertTrue(missing.getMessage().contains("is damaged (a field is missing)"), missing.getMessage());
  }
}
