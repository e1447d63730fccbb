package org.adpo.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.adpo.data.PairPool;
import org.adpo.data.PairPoolWriter;
import org.adpo.data.PreferencePairs;
import org.adpo.error.UsageException;
import org.adpo.io.OutputTarget;
import org.adpo.spark.SparkSessions;
import org.adpo.io.Words;
import org.apache.spark.sql.SparkSession;

/** {@code bin/adpo make-pool}: Fashion-MNIST IDX files to a Parquet pair pool. */
final class MakePoolCommand extends Command.Simple {
  MakePoolCommand() {
    super("make-pool", "build a pair pool from Fashion-MNIST IDX files (the bundled example data)",
        HelpText.MAKE_POOL, OPTIONS);
  }

  static final String DATASET_DIR = "/usr/share/datasets/fashion-mnist/";
  private static final Map<String, Options.Kind> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put("output", Options.Kind.TEXT);
    OPTIONS.put("images", Options.Kind.TEXT);
    OPTIONS.put("labels", Options.Kind.TEXT);
    OPTIONS.put("pairs", Options.Kind.INT);
    OPTIONS.put("dim", Options.Kind.INT);
    OPTIONS.put("seed", Options.Kind.LONG);
    OPTIONS.put("positive-class", Options.Kind.INT);
    OPTIONS.put("lambda", Options.Kind.DOUBLE);
    OPTIONS.put("master", Options.Kind.TEXT);
  }

  @Override
  int run(String[] args, Options o, PrintStream out) {
    String output = o.require("output", "make-pool");
    Path images = Path.of(o.has("images") ? o.get("images") : DATASET_DIR + "train-images-idx3-ubyte.gz");
    Path labels = Path.of(o.has("labels") ? o.get("labels") : DATASET_DIR + "train-labels-idx1-ubyte.gz");
    PreferencePairs.Params params = new PreferencePairs.Params(
        o.has("pairs") ? (Integer) o.typed("pairs") : 4096,
        o.has("dim") ? (Integer) o.typed("dim") : 64,
        o.has("seed") ? (Long) o.typed("seed") : 1L,
        o.has("positive-class") ? (Integer) o.typed("positive-class") : PreferencePairs.RANDOM_CLASS,
        o.has("lambda") ? (Double) o.typed("lambda") : 1.0);
    try (OutputTarget target = OutputTarget.claim(SparkSessions.hadoopConf(), output, false, "make-pool",
        List.of(new OutputTarget.Input(images.toString(), "--images"),
            new OutputTarget.Input(labels.toString(), "--labels")))) {
      SparkSession spark = SparkSessions.getOrCreate("local[*]", o.get("master"), "adpo-make-pool");
      try {
        PairPool pool = PreferencePairs.generate(images, labels, params);
        target.commit((fs, tmp) -> PairPoolWriter.writeInto(spark, pool, fs, tmp));
        int ones = 0;
        for (int s : pool.s()) {
          ones += s;
        }
        out.printf(Locale.ROOT, "wrote %s (d = %d, positive class %d, %.1f%% labelled 1) to %s%n",
            Words.count(pool.size(), "pair"), pool.dim(), pool.positiveClass(), 100.0 * ones / pool.size(), output);
        return 0;
      } finally {
        SparkSessions.release(spark);
      }
    }
  }
}
