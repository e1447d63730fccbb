package org.adpo.cli;

import com.typesafe.config.Config;
import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.adpo.config.SelectionSettings;
import org.adpo.config.Setting;
import org.adpo.config.SettingTable;
import org.adpo.config.SettingsLoader;
import org.adpo.data.DeltaSupport;
import org.adpo.data.PoolFormat;
import org.adpo.data.PoolReader;
import org.adpo.error.UsageException;
import org.adpo.io.ReportHtml;
import org.adpo.io.OutputTarget;
import org.adpo.io.ProgressFile;
import org.adpo.io.SelectionReport;
import org.adpo.io.SelectionWriter;
import org.adpo.io.Words;
import org.adpo.spark.ResultCheck;
import org.adpo.spark.Checkpoints;
import org.adpo.spark.SelectionJob;
import org.adpo.spark.SelectionResult;
import org.adpo.spark.SparkSessions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code bin/adpo select}: read a pool, select, write the output directory atomically. */
final class SelectCommand extends Command.Simple {
  SelectCommand() {
    super("select", "pick the most informative pairs of a pool (greedy D-optimal design)",
        HelpText.SELECT, OPTIONS);
  }

  private static final Map<String, Options.Kind> OPTIONS = new LinkedHashMap<>();
  /** CLI option -> configuration path. */
  private static final Map<String, String> CONFIG_PATHS = new LinkedHashMap<>();
  private static final Set<String> ROLES = Set.copyOf(SelectionSettings.ROLES);

  static {
    option("input", Options.Kind.TEXT, null);
    option("output", Options.Kind.TEXT, null);
    option("config", Options.Kind.TEXT, null);
    option("master", Options.Kind.TEXT, null);
    option("column", Options.Kind.REPEATED, null);
    option("format", Options.Kind.TEXT, "adpo.input.format");
    option("output-format", Options.Kind.TEXT, "adpo.output.format");
    option("overwrite", Options.Kind.FLAG, "adpo.output.overwrite");
    option("checkpoint-dir", Options.Kind.TEXT, "adpo.spark.checkpoint-dir");
    // Every setting of the selection with an option (the column names go through --column ROLE=NAME).
    for (Setting s : SettingTable.ALL) {
      if (s.cliOption() != null && !s.isColumn()) {
        option(s.cliOption().substring(2), kind(s.type()), s.configKey());
      }
    }
  }

  /** The option kind of a setting of this type. */
  static Options.Kind kind(Class<?> type) {
    if (type == Integer.class) {
      return Options.Kind.INT;
    } else if (type == Long.class) {
      return Options.Kind.LONG;
    } else if (type == Double.class) {
      return Options.Kind.DOUBLE;
    }
    return Options.Kind.TEXT;
  }

  private static void option(String name, Options.Kind kind, String path) {
    OPTIONS.put(name, kind);
    if (path != null) {
      CONFIG_PATHS.put(name, path);
    }
  }

  /** The options of a select command line ({@code args[0]} is the command's name), as a run parses them. */
  static Options parse(String[] args) {
    return new SelectCommand().options(args);
  }

  /** The configuration a select command line describes: reference.conf, then --config, then the options. */
  static Config config(Options o) {
    Map<String, Object> overrides = o.configOverrides(CONFIG_PATHS, ROLES);
    return SettingsLoader.load(o.has("config") ? new File(o.get("config")) : null, overrides);
  }

  @Override
  int run(String[] args, Options o, PrintStream out) {
    long start = System.nanoTime();
    String input = o.require("input", "select");
    String output = o.require("output", "select");
    Config config = config(o);
    SelectionSettings settings = SettingsLoader.selection(config);
    PoolFormat outputFormat = PoolFormat.parse(config.getString("adpo.output.format"), "output format");
    String inputFormat = config.getString("adpo.input.format");
    if (!inputFormat.equalsIgnoreCase("auto")) {
      PoolFormat.parse(inputFormat, "input format");
    }
    boolean overwrite = config.getBoolean("adpo.output.overwrite");

    // A cluster run without a checkpoint directory is refused before Spark starts (and again, for
    // sessions made elsewhere, by SelectionJob).
    String checkpointDir = config.getString("adpo.spark.checkpoint-dir");
    Checkpoints.check(SparkSessions.master(config.getString("adpo.spark.master"), o.get("master")),
        !checkpointDir.isBlank() || new org.apache.spark.SparkConf().contains(Checkpoints.SPARK_KEY), settings);
    // The output is checked and claimed before Spark starts: overlap with an input, an existing or
    // busy output, an unusable path are all refused here, in a second rather than after the work.
    List<OutputTarget.Input> inputs = new ArrayList<>(List.of(new OutputTarget.Input(input, "--input")));
    if (o.has("config")) {
      inputs.add(new OutputTarget.Input(o.get("config"), "--config"));
    }
    inputs.add(new OutputTarget.Input(config.getString("adpo.select.theta-true"), "--theta-true"));
    inputs.add(new OutputTarget.Input(checkpointDir, "--checkpoint-dir"));
    Checkpoints.checkDirectory(checkpointDir);
    PoolReader.requireExists(SparkSessions.hadoopConf(), input);
    try (OutputTarget target = OutputTarget.claim(SparkSessions.hadoopConf(), output, overwrite, "select", inputs)) {
      SparkSession spark = SparkSessions.getOrCreate(
          config.getString("adpo.spark.master"), o.get("master"), config.getString("adpo.spark.app-name"));
      try {
        Checkpoints.configure(spark.sparkContext(), checkpointDir);
        if (outputFormat == PoolFormat.DELTA) {
          DeltaSupport.require(spark, "--output-format delta"); // before any work
        }
        Dataset<Row> pool = PoolReader.read(spark, input, inputFormat);
        // The greedy rounds record their progress beside the output; a rerun of the same selection
        // continues from it, and it is deleted once the output is in place.
        ProgressFile progress = ProgressFile.of(target);
        SelectionResult result;
        try {
          result = SelectionJob.run(spark, pool, input, settings, null, progress);
          ResultCheck.requireFinite(result, settings);
        } catch (org.adpo.error.AdpoException e) {
          if (e.exitCode() == 2 || e.exitCode() == 3) {
            // Refused for its settings or its data: a rerun of the same command fails the same way, so
            // there is nothing to resume. (An interrupted or failed environment keeps the record.)
            try {
              progress.delete();
            } catch (java.io.UncheckedIOException ignored) {
              // the refusal is what matters
            }
          }
          throw e;
        }
        long writeStart = System.nanoTime();
        spark.sparkContext().setJobDescription("adpo: write selection " + output);
        Map<String, Double> timings = result.report().timingsS();
        SelectionWriter.write(result.selection(), () -> {
          timings.put("write", (System.nanoTime() - writeStart) / 1e9);
          timings.put("total", (System.nanoTime() - start) / 1e9);
          return result.report();
        }, report -> ReportHtml.select(report, gains(result)), target, outputFormat);
        double write = (System.nanoTime() - writeStart) / 1e9;
        try {
          progress.delete();
        } catch (java.io.UncheckedIOException e) {
          org.adpo.spark.ProgressLog.warn(e.getMessage() + " (the output is complete; delete it yourself)");
        }
        SelectionReport.Selection sel = result.report().selection();
        out.printf(Locale.ROOT, "selected %d of %d pairs with %s in %s (%s); log det %.6g of the %s design; "
                + "wrote %s in %.1f s (total %.1f s)%n",
            result.picks().size(), poolRows(result), settings.algorithm().cliName(),
            Words.count(sel.rounds(), "round"), Words.count(result.report().spark().jobs(), "Spark job"),
            sel.logDetFinal(), sel.logDetDesign(),
            output, write, (System.nanoTime() - start) / 1e9);
        return 0;
      } finally {
        SparkSessions.release(spark);
      }
    }
  }

  private static double[] gains(SelectionResult r) {
    double[] g = new double[r.picks().size()];
    for (int i = 0; i < g.length; i++) {
      g[i] = r.picks().get(i).gain();
    }
    return g;
  }

  private static long poolRows(SelectionResult r) {
    return r.report().pool().rows();
  }
}
