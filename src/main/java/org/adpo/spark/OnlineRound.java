package org.adpo.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.adpo.data.ColumnNames;
import org.adpo.config.SelectionSettings;
import org.adpo.error.BadInputException;
import org.adpo.model.FitResult;
import org.adpo.oracle.LabelOracle;
import org.adpo.oracle.PickedRow;
import org.adpo.select.Algorithm;
import org.adpo.select.CandidateBlock;
import org.adpo.select.Pick;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One round of online selection resumed from saved state ({@code bin/adpo online next}): theta is
 * refitted on every label ingested so far (the same dense Newton fit on the same rows in pick order
 * as {@link OnlineLearner} in a one-shot run), H^-1 is rebuilt by replaying the earlier picks' rank-one
 * updates in pick order, and the next picks are made by the same exact greedy. So the rounds give the
 * picks of {@code select --algorithm adpo|pmc --schedule batch}, pick for pick. Also builds the
 * queries and export frames (picks joined back to the pool rows).
 */
public final class OnlineRound {
  private OnlineRound() {}

  /** A pick of an earlier round with its scale at pick time and its ingested label (0/1). */
  public record Earlier(Pick pick, double scale, int label) {}

  /**
   * What a round did.
   *
   * @param picks the new picks (ranks continue the earlier ones)
   * @param scales their scales (v = scale phi)
   * @param theta the theta they were picked with (0 before any label)
   * @param fit the refit, or null when there was no label yet
   * @param logDet log det H after the new picks
   */
  public record Outcome(List<Pick> picks, List<Double> scales, double[] theta, FitResult fit, double logDet) {}

  /**
   * Makes up to {@code m} new picks after {@code earlier} (all labelled, in pick order).
   *
   * @param expectRows, expectDimension what the pool had when the state was created (a mismatch is
   *     bad input: the pool changed)
   */
  public static Outcome next(SparkSession spark, Dataset<Row> frame, String source, SelectionSettings settings,
      List<Earlier> earlier, long m, long expectRows, int expectDimension) {
    LoadedPool pool = PoolLoader.load(frame, source, settings, false);
    try {
      if (pool.rows() != expectRows || pool.dimension() != expectDimension) {
        throw new BadInputException("pool " + source + " changed since init: it has " + pool.rows() + " rows of"
            + " dimension " + pool.dimension() + ", the state was made for " + expectRows + " rows of dimension "
            + expectDimension);
      }
      int d = pool.dimension();
      Map<Long, Integer> labels = new HashMap<>();
      List<Pick> prior = new ArrayList<>();
      List<Double> scales = new ArrayList<>();
      for (Earlier e : earlier) {
        labels.put(e.pick().ord(), e.label());
        prior.add(e.pick());
        scales.add(e.scale());
      }
      OnlineLearner learner = new OnlineLearner(spark, settings, pool.blocks(), d, new StoredLabels(labels));
      try {
        if (!prior.isEmpty()) {
          learner.refit(prior); // looks the earlier picks up in the pool and refits on their labels
        }
        List<PickedRow> rows = learner.revealedRows();
        List<double[]> phi = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
          if (!Objects.equals(String.valueOf(rows.get(i).id()), String.valueOf(prior.get(i).id()))) {
            throw new BadInputException("pool " + source + " changed since init: pick " + (i + 1) + " was id "
                + prior.get(i).id() + ", the pool now has id " + rows.get(i).id() + " in its place");
          }
          phi.add(rows.get(i).phi());
        }
        if (settings.algorithm() != Algorithm.PMC) {
          ExecutorKernels.warning(spark).ifPresent(ProgressLog::warn);
        }
        // "round" is the online round (a batch people label); the greedy loop's rounds inside it are steps.
        DistributedGreedy greedy = new DistributedGreedy(spark, settings, d, new ProgressLog("step"));
        greedy.resume(prior, phi, scales);
        long n = Math.min(prior.size() + m, pool.rows());
        List<Pick> all;
        if (settings.algorithm() == Algorithm.PMC) {
          all = greedy.runPmc(pool.blocks(), learner.theta(), n);
        } else {
          JavaRDD<CandidateBlock> candidates = learner.candidates();
          all = greedy.run(candidates, n, pool.rows());
        }
        return new Outcome(new ArrayList<>(all.subList(prior.size(), all.size())),
            new ArrayList<>(greedy.scales().subList(prior.size(), all.size())), learner.theta(), learner.lastFit(),
            greedy.logDet());
      } finally {
        learner.close();
      }
    } finally {
      pool.release();
    }
  }

  /** Labels ingested from people, by ord: the oracle of a resumed round (it never sees an unpicked row). */
  private static final class StoredLabels extends LabelOracle {
    private final Map<Long, Integer> byOrd;

    StoredLabels(Map<Long, Integer> byOrd) {
      this.byOrd = byOrd;
    }

    @Override
    public String name() {
      return "ingested";
    }

    @Override
    protected int label(PickedRow row) {
      Integer s = byOrd.get(row.ord());
      if (s == null) {
        throw new IllegalStateException("no ingested label for picked id " + row.id());
      }
      return s;
    }
  }

  /** One picked row for the queries or export frame: id, round, rank, gain, weight and label (or null). */
  public record PickedEntry(Object id, long round, long rank, double gain, double weight, Integer label) {}

  /**
   * The queries of a round for people to label: {@code id}, {@code round}, {@code rank}, the pool's
   * other columns (not the feature, b, s or weight columns) and an empty label column {@code s}.
   */
  static Dataset<Row> queriesFrame(SparkSession spark, Dataset<Row> frame, ColumnNames names,
      List<PickedEntry> picks) {
    List<String> drop = List.of(names.id(), names.phi(), names.phi1(), names.phi2(), names.b(), names.s(),
        names.weight(), "id", "round", "rank", "s");
    List<Column> out = new ArrayList<>();
    Dataset<Row> joined = join(spark, frame, names.id(), picks, false);
    out.add(joined.col("`" + names.id().replace("`", "``") + "`").as("id"));
    out.add(joined.col("round"));
    out.add(joined.col("rank"));
    for (String c : frame.columns()) {
      if (!drop.contains(c)) {
        out.add(joined.col("`" + c.replace("`", "``") + "`"));
      }
    }
    out.add(functions.lit(null).cast(DataTypes.StringType).as("s"));
    return joined.select(out.toArray(new Column[0])).orderBy(functions.col("rank"));
  }

  /**
   * The queries of {@link #queriesFrame} as text, collected to the driver (a round's queries are few):
   * the header, then one row per pick in rank order. Columns CSV cannot hold are JSON text, as in the
   * CSV output of select; every value is Spark's text form of it (null stays null).
   */
  public static List<List<String>> queriesCells(SparkSession spark, Dataset<Row> frame, ColumnNames names,
      List<PickedEntry> picks) {
    Dataset<Row> q = org.adpo.io.SelectionWriter.flattenForCsv(queriesFrame(spark, frame, names, picks));
    String[] columns = q.columns();
    Column[] text = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      text[i] = q.col("`" + columns[i].replace("`", "``") + "`").cast(DataTypes.StringType).as(columns[i]);
    }
    List<List<String>> rows = new ArrayList<>();
    for (Row r : q.select(text).collectAsList()) {
      List<String> cells = new ArrayList<>(columns.length);
      for (int i = 0; i < columns.length; i++) {
        cells.add(r.isNullAt(i) ? null : r.getString(i));
      }
      rows.add(cells);
    }
    rows.sort(java.util.Comparator.comparingLong(c -> Long.parseLong(c.get(2)))); // id, round, rank, ...
    List<List<String>> out = new ArrayList<>(rows.size() + 1);
    out.add(List.of(columns));
    out.addAll(rows);
    return out;
  }

  /**
   * The labelled selection: every pool column of the picked rows (the pool's label column replaced
   * by the ingested label {@code s}) plus round, rank, gain and weight, in pick order.
   */
  public static Dataset<Row> exportFrame(SparkSession spark, Dataset<Row> frame, ColumnNames names,
      List<PickedEntry> picks) {
    Dataset<Row> joined = join(spark, frame, names.id(), picks, true);
    List<String> added = List.of("round", "rank", "gain", "weight", "s");
    List<Column> out = new ArrayList<>();
    for (String c : frame.columns()) {
      if (!added.contains(c) && !c.equals(names.s())) {
        out.add(joined.col("`" + c.replace("`", "``") + "`"));
      }
    }
    for (String c : added) {
      out.add(joined.col("__adpo_" + c).as(c));
    }
    return joined.select(out.toArray(new Column[0])).orderBy(functions.col("__adpo_rank"));
  }

  /**
   * The picked rows of {@code frame} joined with their entries ({@link PickRows#join}): {@link PickRows#KEY},
   * round, rank, gain, weight and s, each prefixed with "__adpo_" when {@code prefixed}; unprefixed, only round
   * and rank are joined, and the frame's own round, rank, gain and weight columns are dropped.
   */
  private static Dataset<Row> join(SparkSession spark, Dataset<Row> frame, String idName, List<PickedEntry> picks,
      boolean prefixed) {
    DataType idType = frame.schema().apply(idName).dataType();
    boolean stringIds = idType.equals(DataTypes.StringType);
    String p = prefixed ? "__adpo_" : "";
    StructType schema = new StructType()
        .add(PickRows.KEY, stringIds ? DataTypes.StringType : DataTypes.LongType, false)
        .add(p + "round", DataTypes.LongType, false)
        .add(p + "rank", DataTypes.LongType, false)
        .add(p + "gain", DataTypes.DoubleType, false)
        .add(p + "weight", DataTypes.DoubleType, false)
        .add(p + "s", DataTypes.IntegerType, true);
    List<Row> rows = new ArrayList<>(picks.size());
    for (PickedEntry e : picks) {
      Object id = stringIds ? String.valueOf(e.id()) : (Object) ((Number) e.id()).longValue();
      rows.add(RowFactory.create(id, e.round(), e.rank(), e.gain(), e.weight(), e.label()));
    }
    Dataset<Row> pickFrame = spark.createDataFrame(rows, schema);
    Dataset<Row> base = frame;
    if (!prefixed) {
      for (String c : List.of("round", "rank", "gain", "weight")) {
        if (List.of(frame.columns()).contains(c)) {
          base = base.drop(c);
        }
      }
      pickFrame = pickFrame.drop("gain", "weight", "s");
    }
    return PickRows.join(base, idName, pickFrame);
  }
}
