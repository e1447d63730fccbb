package org.adpo.online;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.adpo.data.PoolFormat;
import org.adpo.data.PoolReader;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;
import org.adpo.io.AtomicFiles;
import org.adpo.io.OnlineReport;
import org.adpo.io.OutputTarget;
import org.adpo.io.SelectionReport;
import org.adpo.io.SelectionWriter;
import org.adpo.io.Words;
import org.adpo.select.Pick;
import org.adpo.spark.LoadedPool;
import org.adpo.spark.OnlineRound;
import org.adpo.spark.PoolLoader;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The five steps of online rounds with people labelling, on an {@link OnlineState}: init, next,
 * ingest, status, export. Each step that changes the state holds its lock, checks that config.json
 * and the pool are those of init, deletes the garbage of interrupted commands, writes its side files
 * and commits by replacing the manifest. Spark is started only by the steps that read the pool
 * ({@code spark} is called lazily); ingest of CSV/JSON Lines and status run without it.
 */
public final class OnlineRounds {
  private final OnlineState state;
  private final Supplier<SparkSession> spark;
  private final Configuration hadoop;

  /**
   * @param spark started on first use
   * @param hadoop the file system configuration for listing the pool without Spark
   */
  public OnlineRounds(Path dir, Supplier<SparkSession> spark, Configuration hadoop) {
    this.state = new OnlineState(dir);
    this.spark = spark;
    this.hadoop = hadoop;
  }


  /** Creates the state, or confirms an identical earlier init. Returns the message to print. */
  public String init(OnlineConfig config) {
    byte[] configBytes = config.toJson();
    String configHash = AtomicFiles.sha256(configBytes);
    if (!state.initialised() && !state.onlyInitLeftovers()) {
      throw notEmpty(); // checked before locking, so that no lock file is left in someone else's directory
    }
    try (StateLock lock = state.lock()) {
      List<PoolFingerprint.FileEntry> files = PoolFingerprint.list(hadoop, config.pool());
      if (state.initialised()) {
        Manifest m = state.manifest();
        OnlineConfig existing = state.config(m); // also checks the stored file against its hash
        if (!configHash.equals(m.configSha256())) {
          List<String> differ = config.differencesFrom(existing);
          throw new UsageException("state " + state.dir() + " is already initialised with a different configuration"
              + " (" + (differ.isEmpty() ? "config.json SHA-256 " + m.configSha256() + ", this init gives " + configHash
                  : String.join("; ", differ)) + "); use a new state directory");
        }
        state.checkPool(m, existing, hadoop);
        return "state " + state.dir() + " already initialised with this pool and configuration ("
            + Words.count(m.rounds().size(), "round") + " issued); nothing to do";
      }
      if (!state.onlyInitLeftovers()) {
        throw notEmpty();
      }
      SparkSession s = spark.get();
      Dataset<Row> frame = PoolReader.read(s, config.pool(), config.format());
      LoadedPool pool = PoolLoader.load(frame, config.pool(), config.round(1), false);
      long rows = pool.rows();
      int d = pool.dimension();
      pool.release();
      PoolFingerprint fp = new PoolFingerprint(config.pool(), files, rows, d);
      AtomicFiles.write(state.dir().resolve(OnlineState.CONFIG), configBytes);
      AtomicFiles.write(state.dir().resolve(OnlineState.POOL), OnlineState.poolJson(fp));
      CrashPoint.reach("init:after-side-files");
      Manifest m = new Manifest(Manifest.FORMAT_VERSION, 1, configHash, fp.hash(), List.of(), 0.0,
          d * Math.log(config.settings().gamma()));
      state.commit(m);
      return "initialised online state " + state.dir() + ": " + config.settings().algorithm().cliName() + " on "
          + Words.count(rows, "pair") + " of dimension " + d
          + (config.budget() > 0 ? ", label budget " + config.budget() : "");
    }
  }

  private UsageException notEmpty() {
    return new UsageException("state directory " + state.dir() + " is not empty and holds no online state;"
        + " give an empty or new directory");
  }

  /** Issues the next round of up to {@code batch} queries, or says the open one still awaits labels. */
  public String next(long batch) {
    return next(batch, 0);
  }

  /**
   * As {@link #next(long)}, for a caller that knows which round it means ({@code round} > 0; 0 means
   * "whatever comes next"). A scheduler task "issue round K" re-run after round K was issued, even after
   * its labels were ingested, is then a no-op instead of issuing round K + 1.
   */
  public String next(long batch, int round) {
    if (batch < 1) {
      throw new UsageException("batch must be >= 1, got " + batch);
    }
    if (round < 0) {
      throw new UsageException("--round must be >= 1, got " + round);
    }
    try (StateLock lock = state.lock()) {
      Manifest m = state.manifest();
      OnlineConfig c = state.config(m);
      PoolFingerprint pool = state.checkPool(m, c, hadoop);
      state.collectGarbage(m);
      Manifest.Round open = m.open();
      int issued = m.rounds().size();
      if (round > 0 && round <= issued) {
        Manifest.Round r = m.rounds().get(round - 1);
        return "round " + round + " was already issued (" + state.dir().resolve(r.queries()) + ", "
            + (r.closed() ? "labels ingested" : "awaiting labels") + "); nothing to do";
      }
      if (round > issued + 1) {
        throw new UsageException("round " + round + " cannot be issued yet: the state holds rounds 1.." + issued
            + "; issue round " + (issued + 1) + " first");
      }
      if (round > 0 && open != null) {
        throw new UsageException("round " + round + " cannot be issued: round " + open.round()
            + " still awaits labels (" + state.dir().resolve(open.queries()) + "); ingest them first");
      }
      if (open != null) {
        return "round " + open.round() + " was already issued and awaits labels: " + state.dir().resolve(open.queries())
            + " (nothing to do; ingest its labels with 'adpo online ingest')";
      }
      long picked = m.picks();
      if (c.budget() > 0 && picked >= c.budget()) {
        throw new UsageException("the label budget is exhausted: " + picked + " of " + c.budget()
            + " labels used; export the selection with 'adpo online export'");
      }
      if (picked >= pool.rows()) {
        throw new UsageException("every one of the pool's " + pool.rows() + " rows has been picked");
      }
      long m2 = c.budget() > 0 ? Math.min(batch, c.budget() - picked) : batch;
      List<OnlineRound.Earlier> earlier = new ArrayList<>();
      for (Manifest.Round r : m.rounds()) {
        RoundFile f = state.round(r);
        int[] labels = state.labels(r, f);
        for (int i = 0; i < labels.length; i++) {
          RoundFile.Entry e = f.picks().get(i);
          earlier.add(new OnlineRound.Earlier(new Pick(e.ord(), e.id(), e.rank(), e.gain(), e.weight()), e.scale(),
              labels[i]));
        }
      }
      SparkSession s = spark.get();
      Dataset<Row> frame = PoolReader.read(s, c.pool(), c.format());
      OnlineRound.Outcome o = OnlineRound.next(s, frame, c.pool(), c.round(m2), earlier, m2, pool.rows(),
          pool.dimension());
      if (o.picks().isEmpty()) {
        throw new UsageException("no unpicked row is left in the pool");
      }
      int k = m.rounds().size() + 1;
      List<RoundFile.Entry> entries = new ArrayList<>();
      List<OnlineRound.PickedEntry> shown = new ArrayList<>();
      for (int i = 0; i < o.picks().size(); i++) {
        Pick p = o.picks().get(i);
        entries.add(new RoundFile.Entry(p.id(), p.ord(), p.rank(), p.gain(), p.weight(), o.scales().get(i)));
        shown.add(new OnlineRound.PickedEntry(p.id(), k, p.rank(), p.gain(), p.weight(), null));
      }
      SelectionReport.Fit fit = o.fit() == null ? null : SelectionReport.Fit.of(o.fit()).withoutTrace();
      RoundFile roundFile = new RoundFile(k, entries, o.theta(), o.logDet(), fit);
      String picksName = "rounds/round-" + k + ".json";
      String queriesName = "queries/round-" + k;
      // Side files under names the committed manifest does not use (leftovers of an interrupted run
      // of this same step are replaced). The queries are written by the driver, which is the one
      // machine that must see the state directory (executors of a cluster need not share it).
      writeQueries(state.dir().resolve(queriesName),
          OnlineRound.queriesCells(s, frame, c.settings().columns(), shown));
      state.writeRound(picksName, roundFile);
      CrashPoint.reach("next:after-side-files");
      Manifest next = m.withRound(new Manifest.Round(k, entries.size(), picksName, queriesName, null),
          roundFile.thetaNorm(), o.logDet());
      state.commit(next);
      CrashPoint.reach("next:after-manifest");
      state.collectGarbage(next);
      return String.format(java.util.Locale.ROOT,
          "round %d: %s (picks %d..%d%s) in %s; log det %.6g of the %s design; label them and run 'adpo online ingest'", k,
          Words.count(entries.size(), "query", "queries"), entries.get(0).rank(), entries.get(entries.size() - 1).rank(),
          c.budget() > 0 ? " of the budget " + c.budget() : "", state.dir().resolve(queriesName), o.logDet(),
          c.settings().algorithm().design(c.settings().alpha()));
    }
  }

  /** The one file of a round's queries directory. */
  static final String QUERIES_FILE = "queries.csv";

  /** Replaces {@code dir} by a directory holding the queries as one RFC 4180 CSV file (header first). */
  private static void writeQueries(Path dir, List<List<String>> cells) {
    OnlineState.delete(dir);
    byte[] csv = CsvText.write(cells.get(0), cells.subList(1, cells.size()))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    AtomicFiles.write(dir.resolve(QUERIES_FILE), csv);
  }

  /** Ingests the open round's labels from {@code labels} (all or nothing). */
  public String ingest(Path labels) {
    return ingest(labels, 0);
  }

  /**
   * As {@link #ingest(Path)}, and checks that the file holds the labels of round {@code round}
   * (when > 0), so that a scheduler task "ingest round K" cannot store another round's labels.
   */
  public String ingest(Path labels, int round) {
    if (round < 0) {
      throw new UsageException("--round must be >= 1, got " + round);
    }
    try (StateLock lock = state.lock()) {
      Manifest m = state.manifest();
      OnlineConfig c = state.config(m);
      state.checkPool(m, c, hadoop);
      state.collectGarbage(m);
      String format = LabelsInput.formatOf(labels);
      List<LabelsInput.Entry> entries = format.equals("parquet") ? parquet(labels) : LabelsInput.read(labels, format);
      Map<Integer, List<String>> ids = new LinkedHashMap<>();
      Map<Integer, int[]> closed = new HashMap<>();
      Map<Integer, RoundFile> files = new HashMap<>();
      for (Manifest.Round r : m.rounds()) {
        RoundFile f = state.round(r);
        files.put(r.round(), f);
        List<String> list = new ArrayList<>();
        f.picks().forEach(e -> list.add(String.valueOf(e.id())));
        ids.put(r.round(), list);
        if (r.closed()) {
          closed.put(r.round(), state.labels(r, f));
        }
      }
      Manifest.Round open = m.open();
      LabelCheck.Outcome outcome = LabelCheck.check(labels.toString(), entries, ids, closed,
          open == null ? 0 : open.round());
      int got = outcome instanceof LabelCheck.AlreadyIngested a ? a.round() : ((LabelCheck.Accepted) outcome).round();
      if (round > 0 && got != round) {
        throw new UsageException(labels + " holds the labels of round " + got + ", but --round " + round
            + " was given; nothing was ingested");
      }
      if (outcome instanceof LabelCheck.AlreadyIngested again) {
        return "the labels of round " + again.round() + " in " + labels + " were already ingested; nothing to do";
      }
      LabelCheck.Accepted accepted = (LabelCheck.Accepted) outcome;
      String name = "labels/round-" + accepted.round() + ".jsonl";
      state.writeLabels(name, files.get(accepted.round()), accepted.labels());
      CrashPoint.reach("ingest:after-side-files");
      Manifest next = m.withLabels(name);
      state.commit(next);
      CrashPoint.reach("ingest:after-manifest");
      state.collectGarbage(next);
      long ones = java.util.Arrays.stream(accepted.labels()).filter(v -> v == 1).count();
      return "round " + accepted.round() + ": ingested " + Words.count(accepted.labels().length, "label") + " ("
          + Words.count(ones, "one") + ", " + Words.count(accepted.labels().length - ones, "zero", "zeros") + ") from "
          + labels + "; " + Words.count(next.labels(), "label") + " in all"
          + (c.budget() > 0 ? ", budget left " + Math.max(0, c.budget() - next.picks()) : "");
    }
  }

  private List<LabelsInput.Entry> parquet(Path labels) {
    SparkSession s = spark.get();
    Dataset<Row> df;
    try {
      df = s.read().parquet(labels.toString());
    } catch (Exception e) { // AnalysisException is checked but thrown undeclared
      throw new BadInputException("cannot read labels file " + labels + " as parquet: " + PoolReader.rootMessage(e), e);
    }
    List<String> cols = List.of(df.columns());
    if (!cols.contains("id") || !cols.contains("s")) {
      throw new BadInputException(labels + ": the labels need the columns 'id' and 's', got " + cols);
    }
    List<LabelsInput.Entry> out = new ArrayList<>();
    long row = 0;
    for (Row r : df.select("id", "s").collectAsList()) {
      row++;
      Object id = r.get(0);
      Object v = r.get(1);
      if (id == null) {
        throw new BadInputException(labels + " row " + row + ": no id");
      }
      String vs = v == null ? null : v instanceof Boolean ? ((Boolean) v ? "1" : "0") : numberText(v);
      out.add(LabelsInput.of(String.valueOf(id), vs, labels.toString(), row));
    }
    return out;
  }

  private static String numberText(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
    return String.valueOf(v);
  }

  /** The status (checks config and pool like every command; reads only the manifest). */
  public OnlineReport.Status status() {
    Manifest m = state.manifest();
    OnlineConfig c = state.config(m);
    state.checkPool(m, c, hadoop);
    return state.status(m, c);
  }

  /** Writes the labelled selection (closed rounds) and report.json to {@code out}, atomically. */
  public String export(String out, PoolFormat format, boolean overwrite) {
    Manifest m = state.manifest();
    OnlineConfig c = state.config(m);
    PoolFingerprint pool = state.checkPool(m, c, hadoop);
    List<OnlineRound.PickedEntry> rows = new ArrayList<>();
    long ones = 0;
    for (Manifest.Round r : m.rounds()) {
      if (!r.closed()) {
        continue;
      }
      RoundFile f = state.round(r);
      int[] labels = state.labels(r, f);
      for (int i = 0; i < labels.length; i++) {
        RoundFile.Entry e = f.picks().get(i);
        rows.add(new OnlineRound.PickedEntry(e.id(), r.round(), e.rank(), e.gain(), e.weight(), labels[i]));
        ones += labels[i];
      }
    }
    SparkSession s = spark.get();
    try (OutputTarget target = OutputTarget.claim(s.sparkContext().hadoopConfiguration(), out, overwrite,
        "online export", List.of(new OutputTarget.Input(state.dir().toString(), "--state"),
            new OutputTarget.Input(c.pool(), "the state's pool")))) {
      return export(s, target, out, c, m, pool, rows, ones, format);
    }
  }

  private String export(SparkSession s, OutputTarget target, String out, OnlineConfig c, Manifest m,
      PoolFingerprint pool, List<OnlineRound.PickedEntry> rows, long ones, PoolFormat format) {
    Dataset<Row> frame = PoolReader.read(s, c.pool(), c.format());
    Dataset<Row> selection = OnlineRound.exportFrame(s, frame, c.settings().columns(), rows);
    Map<String, Object> settings = c.settings().describe();
    settings.put("budget", c.budget() == 0 ? null : c.budget());
    settings.put("oracle", "people (ingested labels)");
    settings.remove("theta_true");
    settings.put("schedule", "batch (each round)");
    settings.remove("batch");
    OnlineReport report = new OnlineReport(c.settings().algorithm().cliName(), settings,
        new OnlineReport.Pool(c.pool(), pool.rows(), pool.dimension(), m.poolFingerprint()),
        new OnlineReport.Export(state.status(m, c), rows.size(), ones, rows.size() - ones));
    SelectionWriter.write(selection, () -> report, null, target, format);
    return "exported " + Words.count(rows.size(), "labelled pick") + " of "
        + Words.count(m.rounds().stream().filter(Manifest.Round::closed).count(), "closed round") + " to " + out
        + (m.open() != null ? " (round " + m.open().round()
            + " awaits labels and is not included)" : "");
  }
}
