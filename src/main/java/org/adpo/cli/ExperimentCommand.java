package org.adpo.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.adpo.experiment.ExperimentClaims;
import org.adpo.experiment.ExperimentReport;
import org.adpo.experiment.ExperimentRunner;
import org.adpo.experiment.ExperimentSettings;
import org.adpo.experiment.ExperimentTable;
import org.adpo.eval.plot.Figure;
import org.adpo.eval.plot.HtmlPage;
import org.adpo.eval.plot.PngChart;
import org.adpo.io.ReportJson;
import org.adpo.io.OutputTarget;
import org.adpo.io.SelectionWriter;
import org.adpo.spark.SparkSessions;
import org.adpo.io.Words;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/adpo experiment}: the paper's log-linear experiment on Fashion-MNIST, every method at
 * every budget for every seed ({@link ExperimentRunner}), written atomically as results.csv,
 * summary.csv, picks.csv, results.json, figure.html, figure.png and claims.md.
 */
final class ExperimentCommand extends Command.Simple {
  ExperimentCommand() {
    super("experiment", "the paper's experiment on Fashion-MNIST: all methods, budgets, seeds; table, plots, claims",
        HelpText.EXPERIMENT, OPTIONS);
  }

  private static final Map<String, Options.Kind> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put("output", Options.Kind.TEXT);
    OPTIONS.put("pairs", Options.Kind.INT);
    OPTIONS.put("dim", Options.Kind.INT);
    OPTIONS.put("budgets", Options.Kind.TEXT);
    OPTIONS.put("seeds", Options.Kind.TEXT);
    OPTIONS.put("methods", Options.Kind.TEXT);
    OPTIONS.put("alpha", Options.Kind.DOUBLE);
    OPTIONS.put("beta", Options.Kind.DOUBLE);
    OPTIONS.put("images", Options.Kind.TEXT);
    OPTIONS.put("labels", Options.Kind.TEXT);
    OPTIONS.put("pool", Options.Kind.TEXT);
    OPTIONS.put("test-fraction", Options.Kind.DOUBLE);
    OPTIONS.put("overwrite", Options.Kind.FLAG);
    OPTIONS.put("master", Options.Kind.TEXT);
  }

  @Override
  int run(String[] args, Options o, PrintStream out) {
    long start = System.nanoTime();
    String output = o.require("output", "experiment");
    ExperimentSettings d = ExperimentSettings.defaults();
    ExperimentSettings settings = new ExperimentSettings(
        o.has("pairs") ? (Integer) o.typed("pairs") : d.pairs(),
        o.has("dim") ? (Integer) o.typed("dim") : d.dim(),
        o.has("budgets") ? ExperimentSettings.parseLongs("budgets", o.get("budgets")) : d.budgets(),
        o.has("seeds") ? ExperimentSettings.parseLongs("seeds", o.get("seeds")) : d.seeds(),
        o.has("methods") ? ExperimentSettings.parseNames(o.get("methods")) : d.methods(),
        o.has("alpha") ? (Double) o.typed("alpha") : d.alpha(),
        o.has("beta") ? (Double) o.typed("beta") : d.beta(),
        d.lambda(),
        o.has("images") ? Path.of(o.get("images")) : d.images(),
        o.has("labels") ? Path.of(o.get("labels")) : d.labels(),
        o.get("pool"),
        o.has("test-fraction") ? (Double) o.typed("test-fraction") : 0.0);
    boolean overwrite = o.has("overwrite");

    OutputTarget target = OutputTarget.claim(SparkSessions.hadoopConf(), output, overwrite, "experiment",
        List.of(new OutputTarget.Input(settings.images().toString(), "--images"),
            new OutputTarget.Input(settings.labels().toString(), "--labels"),
            new OutputTarget.Input(settings.pool(), "--pool")));
    SparkSession spark;
    try {
      spark = SparkSessions.getOrCreate("local[*]", o.get("master"), "adpo-experiment");
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
    try {
      ExperimentRunner.Result result = ExperimentRunner.run(spark, settings);
      long writeStart = System.nanoTime();
      ExperimentTable table = result.table();
      ExperimentClaims claims = ExperimentClaims.check(table);
      Map<String, Object> timings = result.timings();
      ExperimentReport report = new ExperimentReport(settings.describe(), result.pools(), result.spark(), timings,
          result.warnings(), claims.describe(), "bin/adpo " + String.join(" ", args));
      Figure figure = table.figure(settings.pool() != null
          ? String.format(Locale.ROOT, "ADPO experiment on %s%s: alpha = %s, beta = %s, seeds %s", settings.pool(),
              settings.testFraction() > 0 ? " (metrics on held-out pairs, " + settings.testFraction() + " of each pool)"
                  : "", settings.alpha(), settings.beta(), settings.seeds())
          : String.format(Locale.ROOT,
          "ADPO experiment on Fashion-MNIST pairs: N = %d, d = %d, alpha = %s, beta = %s, seeds %s%s",
          settings.pairs(), settings.dim(), settings.alpha(), settings.beta(), settings.seeds(),
          settings.testFraction() > 0 ? " (metrics on held-out pairs)" : ""));
      target.commit((fs, tmp) -> {
        SelectionWriter.writeText(fs, tmp, "results.csv", table.csv());
        SelectionWriter.writeText(fs, tmp, "summary.csv", table.summaryCsv());
        SelectionWriter.writeText(fs, tmp, "picks.csv", picksCsv(result.picks()));
        SelectionWriter.writeText(fs, tmp, "claims.md", claims.markdown());
        SelectionWriter.writeText(fs, tmp, "figure.html", HtmlPage.render(figure, htmlLines(settings, claims),
            ExperimentTable.summaryColumns(), table.summaryCells()));
        SelectionWriter.writeBytes(fs, tmp, "figure.png", PngChart.png(figure));
        timings.put("write", (System.nanoTime() - writeStart) / 1e9);
        timings.put("total", (System.nanoTime() - start) / 1e9);
        SelectionWriter.writeText(fs, tmp, "results.json", ReportJson.toJson(report));
      });
      out.printf(Locale.ROOT, "experiment: %s x %s x %s (%s)%s; wrote %s"
              + " (total %.1f s)%n", Words.count(settings.seeds().size(), "seed"),
          Words.count(settings.methods().size(), "method"), Words.count(settings.budgets().size(), "budget"),
          settings.pool() != null ? "pool " + settings.pool()
              : String.format(Locale.ROOT, "N = %d, d = %d", settings.pairs(), settings.dim()),
          settings.testFraction() > 0 ? ", metrics on held-out pairs" : "", output, (System.nanoTime() - start) / 1e9);
      return 0;
    } finally {
      SparkSessions.release(spark);
      target.close();
    }
  }

  private static String picksCsv(List<ExperimentRunner.PickRow> picks) {
    StringBuilder sb = new StringBuilder("seed,method,rank,id\n");
    for (ExperimentRunner.PickRow p : picks) {
      sb.append(p.seed()).append(',').append(p.method()).append(',').append(p.rank()).append(',').append(p.id())
          .append('\n');
    }
    return sb.toString();
  }

  private static List<String> htmlLines(ExperimentSettings s, ExperimentClaims claims) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "Pools: %d pairs per seed built from %s by the recipe of docs/method.md"
            + " (org.adpo.data.PreferencePairs; features = a seeded random subset of d = %d non-constant pixels)."
            + " Methods %s, each run once per seed at n = %d; the selection at n is its first n picks."
            + " alpha = %s (adpo, adpo-plus), beta = %s, lambda = %s.", s.pairs(), s.images(), s.dim(), s.methods(),
        s.maxBudget(), s.alpha(), s.beta(), s.lambda()));
    lines.add("Lines: the mean over seeds; bars: min to max over seeds. theta* = the fit on all labels of each"
        + " seed's pool; metrics as in 'bin/adpo evaluate'. claims.md checks the paper's claims on these numbers.");
    return lines;
  }
}
