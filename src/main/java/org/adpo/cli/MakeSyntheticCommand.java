package org.adpo.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.adpo.data.PoolFormat;
import org.adpo.spark.SyntheticPool;
import org.adpo.error.UsageException;
import org.adpo.io.OutputTarget;
import org.adpo.io.SelectionWriter;
import org.adpo.spark.SparkSessions;
import org.adpo.io.Words;
import org.apache.spark.sql.SparkSession;

/** {@code bin/adpo make-synthetic}: a seeded random pool of any size, for benchmarks and scale tests. */
final class MakeSyntheticCommand extends Command.Simple {
  MakeSyntheticCommand() {
    super("make-synthetic", "write a seeded random pool of any size (benchmarks, scale tests)",
        HelpText.MAKE_SYNTHETIC, OPTIONS);
  }

  private static final Map<String, Options.Kind> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put("output", Options.Kind.TEXT);
    OPTIONS.put("rows", Options.Kind.LONG);
    OPTIONS.put("dim", Options.Kind.INT);
    OPTIONS.put("seed", Options.Kind.LONG);
    OPTIONS.put("partitions", Options.Kind.INT);
    OPTIONS.put("output-format", Options.Kind.TEXT);
    OPTIONS.put("raw-dump", Options.Kind.FLAG);
    OPTIONS.put("master", Options.Kind.TEXT);
  }

  @Override
  int run(String[] args, Options o, PrintStream out) {
    long start = System.nanoTime();
    String output = o.require("output", "make-synthetic");
    long rows = o.has("rows") ? (Long) o.typed("rows") : 100_000L;
    int dim = o.has("dim") ? (Integer) o.typed("dim") : 64;
    long seed = o.has("seed") ? (Long) o.typed("seed") : 1L;
    int partitions = o.has("partitions") ? (Integer) o.typed("partitions") : 8;
    if (rows < 1 || dim < 1 || partitions < 1) {
      throw new UsageException("--rows, --dim and --partitions must be >= 1");
    }
    PoolFormat format = PoolFormat.parse(o.has("output-format") ? o.get("output-format") : "parquet", "output format");
    try (OutputTarget target = OutputTarget.claim(SparkSessions.hadoopConf(), output, false, "make-synthetic",
        java.util.List.of())) {
      SparkSession spark = SparkSessions.getOrCreate("local[*]", o.get("master"), "adpo-make-synthetic");
      try {
        SelectionWriter.writeFrame(SyntheticPool.generate(spark, rows, dim, seed, partitions), target, format);
        if (o.has("raw-dump")) {
          // Inside the pool directory under a name the pool readers skip (leading underscore).
          SyntheticPool.dumpRaw(spark, rows, dim, seed, partitions, output + "/_phi_f32");
        }
        out.printf(Locale.ROOT, "wrote %s (d = %d, seed %d) to %s in %.1f s%n", Words.count(rows, "row"), dim, seed,
            output,
            (System.nanoTime() - start) / 1e9);
        return 0;
      } finally {
        SparkSessions.release(spark);
      }
    }
  }
}
