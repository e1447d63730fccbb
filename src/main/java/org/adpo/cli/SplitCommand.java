package org.adpo.cli;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.adpo.config.SelectionSettings;
import org.adpo.config.SettingsLoader;
import org.adpo.data.PoolFormat;
import org.adpo.data.PoolReader;
import org.adpo.error.UsageException;
import org.adpo.eval.SplitRule;
import org.adpo.io.OutputTarget;
import org.adpo.io.SelectionWriter;
import org.adpo.spark.LoadedPool;
import org.adpo.spark.PoolLoader;
import org.adpo.spark.SparkSessions;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/adpo split}: writes a pool's rows into a training pool and a held-out test pool, each
 * row by {@link SplitRule} on its id (so the same split on any partitioning), all columns kept. The
 * pool is validated as select validates it first, so both outputs are valid pools. Both outputs are
 * written atomically (hidden sibling, then rename), the training pool's rename last: a failure
 * leaves neither.
 */
final class SplitCommand extends Command.Simple {
  SplitCommand() {
    super("split", "write a pool's rows into a training pool and a held-out test pool, by id",
        HelpText.SPLIT, OPTIONS);
  }

  private static final Map<String, Options.Kind> OPTIONS = new LinkedHashMap<>();
  private static final Set<String> ROLES = Set.of("id", "phi", "phi1", "phi2", "b", "s");

  static {
    OPTIONS.put("input", Options.Kind.TEXT);
    OPTIONS.put("train", Options.Kind.TEXT);
    OPTIONS.put("test", Options.Kind.TEXT);
    OPTIONS.put("test-fraction", Options.Kind.DOUBLE);
    OPTIONS.put("seed", Options.Kind.LONG);
    OPTIONS.put("format", Options.Kind.TEXT);
    OPTIONS.put("output-format", Options.Kind.TEXT);
    OPTIONS.put("column", Options.Kind.REPEATED);
    OPTIONS.put("overwrite", Options.Kind.FLAG);
    OPTIONS.put("master", Options.Kind.TEXT);
  }

  @Override
  int run(String[] args, Options o, PrintStream out) {
    long start = System.nanoTime();
    String input = o.require("input", "split");
    String train = o.require("train", "split");
    String test = o.require("test", "split");
    double fraction = (Double) o.typed(requireName(o, "test-fraction"));
    long seed = o.has("seed") ? (Long) o.typed("seed") : 1L;
    SplitRule rule = SplitRule.of(fraction, seed);
    boolean overwrite = o.has("overwrite");
    String inputFormat = o.has("format") ? o.get("format") : "auto";
    if (!inputFormat.equalsIgnoreCase("auto")) {
      PoolFormat.parse(inputFormat, "input format");
    }
    PoolFormat outputFormat = PoolFormat.parse(o.has("output-format") ? o.get("output-format") : "parquet",
        "output format");
    if (new Path(train).equals(new Path(test))) {
      throw new UsageException("--train and --test are the same directory " + train + "; give two directories");
    }
    Map<String, Object> overrides = o.configOverrides(Map.of(), ROLES);
    overrides.put("adpo.select.algorithm", "dopt"); // validation only: labels are not required
    Config config = SettingsLoader.load(null, overrides);
    SelectionSettings settings = SettingsLoader.selection(config);

    PoolReader.requireExists(SparkSessions.hadoopConf(), input);
    List<OutputTarget.Input> inputs = List.of(new OutputTarget.Input(input, "--input"));
    OutputTarget.refuseOverlap(SparkSessions.hadoopConf(), train, "--train", List.of(new OutputTarget.Input(test,
        "--test")));
    try (OutputTarget trainTarget = OutputTarget.claim(SparkSessions.hadoopConf(), train, overwrite, "split", inputs);
         OutputTarget testTarget = OutputTarget.claim(SparkSessions.hadoopConf(), test, overwrite, "split", inputs)) {
    SparkSession spark = SparkSessions.getOrCreate("local[*]", o.get("master"), "adpo-split");
    try {
      Dataset<Row> frame = PoolReader.read(spark, input, inputFormat);
      long rows;
      int d;
      boolean stringIds;
      LoadedPool pool = PoolLoader.load(frame, input, settings, false); // every check select makes
      try {
        rows = pool.rows();
        d = pool.dimension();
        stringIds = pool.layout().stringIds();
      } finally {
        pool.release();
      }
      int at = frame.schema().fieldIndex(settings.columns().id());
      Dataset<Row> testRows = side(frame, at, stringIds, rule, true);
      Dataset<Row> trainRows = side(frame, at, stringIds, rule, false);
      long testCount = testRows.count();
      long trainCount = rows - testCount;
      if (testCount == 0 || trainCount == 0) {
        throw new UsageException(String.format(Locale.ROOT, "--test-fraction %s of the %d rows of %s leaves the %s"
            + " pool empty; give a fraction that leaves rows on both sides", fraction, rows, input,
            testCount == 0 ? "test" : "training"));
      }
      // The training pool's hidden directory is renamed only after the test pool is in place; if
      // that last rename fails, the test pool written by this run is removed again.
      boolean[] testWritten = {false};
      try {
        trainTarget.commit((fs, tmp) -> {
          SelectionWriter.writeFrameInto(trainRows, tmp, outputFormat);
          testTarget.commit((fs2, tmp2) -> SelectionWriter.writeFrameInto(testRows, tmp2, outputFormat));
          testWritten[0] = true;
        });
      } catch (RuntimeException e) {
        if (testWritten[0]) {
          try {
            Path t = new Path(test);
            t.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(t, true);
          } catch (java.io.IOException ignored) {
            // the original failure matters more
          }
        }
        throw e;
      }
      out.printf(Locale.ROOT, "split %d pairs (d = %d) of %s by id (seed %d, test fraction %s): %d to %s, %d to %s"
              + " in %.1f s%n", rows, d, input, seed, fraction, trainCount, train, testCount, test,
          (System.nanoTime() - start) / 1e9);
      return 0;
    } finally {
      SparkSessions.release(spark);
    }
    }
  }

  private static String requireName(Options o, String name) {
    o.require(name, "split");
    return name;
  }

  /** The rows of {@code frame} on one side of the split (all columns): a filter on the id column only. */
  static Dataset<Row> side(Dataset<Row> frame, int idIndex, boolean stringIds, SplitRule rule, boolean test) {
    FilterFunction<Row> keep = r -> rule.isTest(idOf(r.get(idIndex), stringIds)) == test;
    return frame.filter(keep);
  }

  /** The id as the engine reads it: a Long for integer ids, a String for string ids. */
  static Object idOf(Object v, boolean stringIds) {
    return stringIds ? v.toString() : (Object) ((Number) v).longValue();
  }
}
