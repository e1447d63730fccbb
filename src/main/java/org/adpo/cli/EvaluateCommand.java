package org.adpo.cli;

import com.typesafe.config.Config;
import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.adpo.config.SettingsLoader;
import org.adpo.data.PoolFormat;
import org.adpo.data.PoolReader;
import org.adpo.error.UsageException;
import org.adpo.eval.EvaluationSettings;
import org.adpo.eval.MetricTable;
import org.adpo.eval.PrefixGrid;
import org.adpo.eval.SelectionInput;
import org.adpo.eval.plot.Figure;
import org.adpo.eval.plot.HtmlPage;
import org.adpo.eval.plot.PngChart;
import org.adpo.io.ReportHtml;
import org.adpo.io.MetricsReport;
import org.adpo.io.ReportJson;
import org.adpo.io.OutputTarget;
import org.adpo.io.SelectionWriter;
import org.adpo.spark.EvaluationJob;
import org.adpo.spark.EvaluationResult;
import org.adpo.spark.SelectionReader;
import org.adpo.spark.SparkSessions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/adpo evaluate}: fits theta_hat_n on prefixes of one or more selections and theta_star
 * on all labels of the pool, and writes the pool metrics of each prefix as metrics.csv,
 * metrics.json, metrics.html and metrics.png, atomically, into the output directory.
 */
final class EvaluateCommand extends Command.Simple {
  EvaluateCommand() {
    super("evaluate", "metrics of selections' prefix fits against the fit on all labels (CSV, JSON, plots)",
        HelpText.EVALUATE, OPTIONS);
  }

  private static final Map<String, Options.Kind> OPTIONS = new LinkedHashMap<>();
  private static final Map<String, String> CONFIG_PATHS = new LinkedHashMap<>();
  private static final Set<String> ROLES = Set.of("id", "phi", "phi1", "phi2", "b", "s");

  static {
    option("pool", Options.Kind.TEXT, null);
    option("test-pool", Options.Kind.TEXT, null);
    option("selection", Options.Kind.REPEATED, null);
    option("output", Options.Kind.TEXT, null);
    option("grid", Options.Kind.TEXT, null);
    option("config", Options.Kind.TEXT, null);
    option("master", Options.Kind.TEXT, null);
    option("column", Options.Kind.REPEATED, null);
    option("format", Options.Kind.TEXT, "adpo.input.format");
    option("overwrite", Options.Kind.FLAG, "adpo.output.overwrite");
    option("beta", Options.Kind.DOUBLE, "adpo.select.beta");
    option("lambda", Options.Kind.DOUBLE, "adpo.select.lambda");
  }

  private static void option(String name, Options.Kind kind, String path) {
    OPTIONS.put(name, kind);
    if (path != null) {
      CONFIG_PATHS.put(name, path);
    }
  }

  @Override
  int run(String[] args, Options o, PrintStream out) {
    long start = System.nanoTime();
    String poolPath = o.require("pool", "evaluate");
    String testPath = o.get("test-pool");
    String output = o.require("output", "evaluate");
    List<String> specs = o.all("selection");
    if (specs.isEmpty()) {
      throw new UsageException("'evaluate' needs at least one --selection NAME=DIR; see 'bin/adpo evaluate --help'");
    }
    Map<String, Object> overrides = o.configOverrides(CONFIG_PATHS, ROLES);
    if (o.has("grid")) {
      overrides.put("adpo.evaluate.grid", PrefixGrid.parse(o.get("grid")));
    }
    Config config = SettingsLoader.load(o.has("config") ? new File(o.get("config")) : null, overrides);
    EvaluationSettings settings = EvaluationSettings.from(config);
    String inputFormat = config.getString("adpo.input.format");
    if (!inputFormat.equalsIgnoreCase("auto")) {
      PoolFormat.parse(inputFormat, "input format");
    }
    boolean overwrite = config.getBoolean("adpo.output.overwrite");

    PoolReader.requireExists(SparkSessions.hadoopConf(), poolPath);
    OutputTarget target = OutputTarget.claim(SparkSessions.hadoopConf(), output, overwrite, "evaluate",
        inputs(o, poolPath, specs));
    SparkSession spark;
    try {
      spark = SparkSessions.getOrCreate(
          config.getString("adpo.spark.master"), o.get("master"), config.getString("adpo.spark.app-name"));
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
    try {
      Dataset<Row> pool = PoolReader.read(spark, poolPath, inputFormat);
      Dataset<Row> testPool = testPath == null ? null : PoolReader.read(spark, testPath, inputFormat);
      List<SelectionInput> selections = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (String spec : specs) {
        SelectionInput sel = SelectionReader.read(spark, spec, settings.columns().id());
        if (!names.add(sel.name())) {
          throw new UsageException("two selections are named '" + sel.name() + "'; name them with"
              + " --selection NAME=DIR");
        }
        selections.add(sel);
      }
      EvaluationResult result = EvaluationJob.run(spark, pool, poolPath, settings, selections, testPool, testPath);
      long writeStart = System.nanoTime();
      MetricTable table = result.table();
      Figure figure = table.figure("Selections evaluated on " + poolPath);
      MetricsReport report = result.report();
      Map<String, Double> timings = report.timingsS();
      target.commit((fs, tmp) -> {
        SelectionWriter.writeText(fs, tmp, "metrics.csv", table.csv());
        SelectionWriter.writeText(fs, tmp, "metrics.html", HtmlPage.render(figure, htmlLines(report, selections),
            table.htmlColumns(), table.cells()));
        SelectionWriter.writeBytes(fs, tmp, "metrics.png", PngChart.png(figure));
        timings.put("write", (System.nanoTime() - writeStart) / 1e9);
        timings.put("total", (System.nanoTime() - start) / 1e9);
        SelectionWriter.writeText(fs, tmp, "metrics.json", ReportJson.toJson(report));
        SelectionWriter.writeText(fs, tmp, "report.html", ReportHtml.evaluate(report, figure));
      });
      MetricsReport.Pool poolInfo = report.pool();
      for (SelectionInput sel : selections) {
        MetricTable.Row last = null;
        for (MetricTable.Row r : table.rows()) {
          if (r.method().equals(sel.name())) {
            last = r;
          }
        }
        out.printf(Locale.ROOT, "  %s at n = %d: max logit error %.4g, error rate %.4g, accuracy %.4g%s%n",
            sel.name(), last.n(), last.metrics().maxLogitError(), last.metrics().errorRate(),
            last.metrics().accuracy(), last.test() == null ? "" : String.format(Locale.ROOT,
                "; on the test pool: max logit error %.4g, error rate %.4g, accuracy %.4g",
                last.test().maxLogitError(), last.test().errorRate(), last.test().accuracy()));
      }
      out.printf(Locale.ROOT, "evaluated %d selection%s at %d prefix sizes on %s pairs (d = %s); wrote %s in %.1f s"
              + " (total %.1f s)%n",
          selections.size(), selections.size() == 1 ? "" : "s", table.rows().size(), poolInfo.rows(),
          poolInfo.dimension(), output, (System.nanoTime() - writeStart) / 1e9,
          (System.nanoTime() - start) / 1e9);
      return 0;
    } finally {
      SparkSessions.release(spark);
      target.close();
    }
  }

  /** The paths evaluate reads, which its output may not overlap. */
  private static List<OutputTarget.Input> inputs(Options o, String poolPath, List<String> specs) {
    List<OutputTarget.Input> in = new ArrayList<>();
    in.add(new OutputTarget.Input(poolPath, "--pool"));
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      boolean named = eq > 0 && spec.substring(0, eq).indexOf('/') < 0;
      in.add(new OutputTarget.Input(named ? spec.substring(eq + 1).trim() : spec, "--selection"));
    }
    if (o.has("config")) {
      in.add(new OutputTarget.Input(o.get("config"), "--config"));
    }
    return in;
  }

  private static List<String> htmlLines(MetricsReport report, List<SelectionInput> selections) {
    MetricsReport.Pool pool = report.pool();
    Map<String, Object> settings = report.settings();
    MetricsReport.ThetaStar star = report.thetaStar();
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "Pool %s: %s rows, d = %s, %s labelled; beta = %s, lambda = %s.",
        pool.source(), pool.rows(), pool.dimension(), pool.labelsOne() + pool.labelsZero(),
        settings.get("beta"), settings.get("lambda")));
    lines.add(String.format(Locale.ROOT, "theta* = fit on all labelled rows: %s iterations, converged %s;"
            + " its accuracy %s, margin %s, negative log-likelihood %s.",
        star.iterations(), star.converged(), star.accuracy(), star.margin(), star.nll()));
    StringBuilder sel = new StringBuilder("Selections: ");
    for (int i = 0; i < selections.size(); i++) {
      SelectionInput s = selections.get(i);
      sel.append(i == 0 ? "" : "; ").append(s.name()).append(" = ").append(s.source())
          .append(" (").append(s.size()).append(" rows)");
    }
    lines.add(sel.append('.').toString());
    MetricsReport.TestPool test = report.testPool();
    if (test != null) {
      lines.add(String.format(Locale.ROOT, "Test pool %s: %s held-out rows (no id in common with the pool). Lines"
              + " and columns marked 'test' are the same metrics on it; theta* there: accuracy %s, nll %s.",
          test.source(), test.rows(), test.thetaStar().accuracy(), test.thetaStar().nll()));
    }
    lines.add("theta_hat_n = fit on the first n picks (rank <= n). Over the whole pool: max and mean logit error"
        + " |phi_i . (theta_hat_n - theta*)|; error rate = share of rows where sign(phi_i . theta_hat_n - b_i)"
        + " differs from sign(phi_i . theta* - b_i), with sign(0) = 0 a class of its own. Over the labelled rows:"
        + " accuracy (the sign of beta (phi_i . theta_hat_n - b_i) is + for s = 1 and - for s = 0; a logit of 0"
        + " is never accurate), margin (mean logit, + for s = 1, - for s = 0) and mean negative log-likelihood.");
    return lines;
  }
}
