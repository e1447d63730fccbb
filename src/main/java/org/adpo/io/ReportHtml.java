package org.adpo.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.adpo.eval.plot.Figure;
import org.adpo.eval.plot.Panel;
import org.adpo.eval.plot.Series;
import org.adpo.eval.plot.SvgChart;

/**
 * {@code report.html}: a run's report as one self-contained page (inline CSS and SVG; no scripts,
 * fonts, images or links to fetch) for people who would rather look than read report.json. It shows
 * the charts (gain per pick, the theta fit's convergence, wall time per phase and, for evaluate, the
 * metric curves) and the report's sections as tables. Every text comes from the report (settings,
 * counts, paths), never from pool rows, and is escaped.
 *
 * <p>Each chart sits in a {@code <figure class="chart" id="chart-...">}, so a browser test can find
 * it in the rendered page.
 */
public final class ReportHtml {
  private static final int BAR_WIDTH = 400;
  private static final int BAR_ROW = 24;
  private static final int BAR_COLOUR = 0x0072B2;

  private ReportHtml() {}

  /**
   * The page of a {@code select} run.
   *
   * @param report the run's report (as written to report.json)
   * @param gains gain of each pick, in pick order (rank 1 first)
   */
  public static String select(SelectionReport report, double[] gains) {
    StringBuilder charts = new StringBuilder();
    double[] ranks = new double[gains.length];
    for (int i = 0; i < gains.length; i++) {
      ranks[i] = i + 1;
    }
    charts.append(chart("chart-gain", new Figure("Gain per pick", "rank (pick order)",
        List.of(new Panel("Gain log(1 + v' H^-1 v) per pick", true,
            List.of(new Series("gain", ranks, gains)), false, "gain")))));
    SelectionReport.Fit fit = report.fit();
    charts.append(fitCharts(fit == null ? null : fit.trace(), "theta fit"));
    charts.append(timings(report.timingsS()));

    String title = "adpo select: " + report.algorithm();
    StringBuilder body = new StringBuilder();
    SelectionReport.Pool pool = report.pool();
    SelectionReport.Selection sel = report.selection();
    body.append(para(String.format(Locale.ROOT, "%s picked %s of %s pairs (d = %s) from %s in %s;"
            + " log det %s%s.", report.algorithm(), sel == null ? "?" : sel.picks(),
        pool == null ? "?" : pool.rows(), pool == null ? "?" : pool.dimension(),
        pool == null ? "?" : pool.source(),
        sel == null ? "? rounds" : Words.count(sel.rounds(), "round"),
        sel == null ? "?" : number(sel.logDetFinal()),
        sel == null || sel.logDetDesign() == null ? "" : " of the " + sel.logDetDesign() + " design")));
    body.append("<div class=\"charts\">\n").append(charts).append("</div>\n");
    body.append(table("Settings", report.settings()));
    body.append(table("Pool", pool));
    body.append(table("Selection", sel));
    body.append(table("Theta fit", fit == null ? null : fit.withoutTrace()));
    body.append(table("Online learning", report.online()));
    body.append(table("Spark", report.spark()));
    body.append(table("Wall time per phase (s)", report.timingsS()));
    body.append(warnings(report.warnings()));
    return page(title, body.toString());
  }

  /**
   * The page of an {@code evaluate} run.
   *
   * @param report the run's report (as written to metrics.json)
   * @param metrics the metric curves (one panel per metric, one line per selection)
   */
  public static String evaluate(MetricsReport report, Figure metrics) {
    StringBuilder body = new StringBuilder();
    MetricsReport.Pool pool = report.pool();
    body.append(para(String.format(Locale.ROOT, "Selections evaluated on %s (%s pairs, d = %s).",
        pool == null ? "?" : pool.source(), pool == null ? "?" : pool.rows(),
        pool == null ? "?" : pool.dimension())));
    body.append("<div class=\"charts\">\n");
    for (int i = 0; i < metrics.panels().size(); i++) {
      Panel p = metrics.panels().get(i);
      body.append("<figure class=\"chart\" id=\"chart-metric-").append(i + 1).append("\">\n")
          .append(SvgChart.render(metrics, p)).append("</figure>\n");
    }
    MetricsReport.ThetaStar star = report.thetaStar();
    body.append(fitCharts(star == null ? null : star.trace(), "theta* fit"));
    body.append(timings(report.timingsS()));
    body.append("</div>\n");
    body.append(table("Settings", report.settings()));
    body.append(table("Pool", pool));
    body.append(table("theta* (fit on all labels)", star == null ? null : star.withoutTrace()));
    if (report.selections() != null) {
      for (Map.Entry<String, MetricsReport.SelectionInfo> e : report.selections().entrySet()) {
        body.append(table("Selection " + e.getKey(), e.getValue()));
      }
    }
    body.append(table("Spark", report.spark()));
    body.append(table("Wall time per phase (s)", report.timingsS()));
    body.append(warnings(report.warnings()));
    return page("adpo evaluate", body.toString());
  }

  /** Loss and gradient norm per iteration of a fit's trace; a note when there is none. */
  private static String fitCharts(SelectionReport.Trace trace, String what) {
    if (trace == null) {
      return "<p class=\"note\" id=\"chart-fit-none\">No " + escape(what) + " in this run: no convergence chart.</p>\n";
    }
    double[] loss = trace.loss().stream().mapToDouble(Double::doubleValue).toArray();
    double[] grad = trace.gradientNorm().stream().mapToDouble(Double::doubleValue).toArray();
    double[] it = new double[loss.length];
    for (int i = 0; i < it.length; i++) {
      it[i] = i;
    }
    return chart("chart-fit-loss", new Figure(what, "iteration",
        List.of(new Panel(what + ": penalised loss", true, List.of(new Series("loss", it, loss)), false,
            "penalised loss"))))
        + chart("chart-fit-gradient", new Figure(what, "iteration",
        List.of(new Panel(what + ": gradient norm", true, List.of(new Series("gradient norm", it, grad)), false,
            "gradient norm"))));
  }

  private static String chart(String id, Figure figure) {
    StringBuilder sb = new StringBuilder();
    sb.append("<figure class=\"chart\" id=\"").append(id).append("\">\n");
    for (Panel p : figure.panels()) {
      sb.append(SvgChart.render(figure, p));
    }
    return sb.append("</figure>\n").toString();
  }

  /** Horizontal bars, one per phase (the total is in the title). */
  static String timings(Map<String, Double> timings) {
    if (timings == null || timings.isEmpty()) {
      return "";
    }
    List<String> names = new ArrayList<>();
    List<Double> secs = new ArrayList<>();
    double max = 0;
    for (Map.Entry<String, Double> e : timings.entrySet()) {
      if (e.getKey().equals("total") || e.getValue() == null) {
        continue;
      }
      names.add(e.getKey());
      double v = e.getValue();
      secs.add(v);
      max = Math.max(max, v);
    }
    Double total = timings.get("total");
    String title = "Wall time per phase" + (total != null
        ? String.format(Locale.ROOT, " (total %.1f s)", total) : "");
    int height = 40 + BAR_ROW * names.size() + 10;
    double left = 120;
    double right = BAR_WIDTH - 60;
    StringBuilder sb = new StringBuilder();
    sb.append("<figure class=\"chart\" id=\"chart-timings\">\n");
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
            + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" font-family=\"DejaVu Sans, Helvetica, Arial,"
            + " sans-serif\">\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
        BAR_WIDTH, height, BAR_WIDTH, height, escape(title), BAR_WIDTH, height));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" text-anchor=\"middle\""
        + " font-weight=\"bold\" fill=\"#333333\">%s</text>\n", BAR_WIDTH / 2, escape(title)));
    for (int i = 0; i < names.size(); i++) {
      double y = 36 + i * BAR_ROW;
      double w = max > 0 ? (right - left) * secs.get(i) / max : 0;
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\""
          + " fill=\"#333333\">%s</text>\n", left - 6, y + 13, escape(names.get(i))));
      sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\""
          + " fill=\"#%06x\"/>\n", left, y, Math.max(w, 1.0), BAR_ROW - 6, BAR_COLOUR));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#333333\">%.2f s"
          + "</text>\n", left + Math.max(w, 1.0) + 4, y + 13, secs.get(i)));
    }
    return sb.append("</svg>\n</figure>\n").toString();
  }

  /**
   * A report section as a table: one row per leaf, keyed by its path in the JSON ({@code columns.id}), so
   * the page says what report.json says, under the same names.
   */
  private static String table(String title, Object section) {
    JsonNode values = section == null ? null : ReportJson.tree(section);
    if (values == null || !values.isObject() || values.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("<h2>").append(escape(title)).append("</h2>\n<table>\n");
    List<String[]> rows = new ArrayList<>();
    flatten("", values, rows);
    for (String[] r : rows) {
      sb.append("<tr><th>").append(escape(r[0])).append("</th><td>").append(escape(r[1])).append("</td></tr>\n");
    }
    return sb.append("</table>\n").toString();
  }

  private static void flatten(String prefix, JsonNode m, List<String[]> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      if (e.getValue().isObject()) {
        flatten(key + ".", e.getValue(), out);
      } else {
        out.add(new String[] {key, text(e.getValue())});
      }
    }
  }

  private static String text(JsonNode v) {
    if (v == null || v.isNull()) {
      return "-";
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode o : v) {
        parts.add(text(o));
      }
      return String.join(", ", parts);
    }
    if (v.isFloatingPointNumber()) {
      return number(v.doubleValue());
    }
    if (v.isObject()) {
      return v.toString();
    }
    return v.asText();
  }

  private static String number(double d) {
    if (!Double.isFinite(d)) {
      return Double.toString(d);
    }
    // Six significant digits, no trailing zeros: 0.01, 1E-9, 10.3296, 500.
    java.math.BigDecimal r = new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros();
    double a = Math.abs(d);
    return a == 0 ? "0" : a >= 1e-4 && a < 1e9 ? r.toPlainString() : r.toString();
  }

  private static String warnings(List<?> list) {
    if (list == null || list.isEmpty()) {
      return "<h2>Warnings</h2>\n<p>None.</p>\n";
    }
    StringBuilder sb = new StringBuilder("<h2>Warnings</h2>\n<ul>\n");
    for (Object o : list) {
      sb.append("<li>").append(escape(String.valueOf(o))).append("</li>\n");
    }
    return sb.append("</ul>\n").toString();
  }

  private static String para(String text) {
    return "<p>" + escape(text) + "</p>\n";
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
        + "</title>\n<style>\n"
        + "body{font-family:\"DejaVu Sans\",Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1180px}\n"
        + ".charts{display:flex;flex-wrap:wrap;gap:12px}\n"
        + "figure.chart{margin:0}\n"
        + "figure.chart svg{border:1px solid #e4e4e4;display:block}\n"
        + "h2{font-size:18px;margin-top:24px}\n"
        + "table{border-collapse:collapse;font-size:13px}\n"
        + "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}\n"
        + "th{font-weight:normal;color:#555;white-space:nowrap}\n"
        + "td{word-break:break-all}\n"
        + ".note{color:#666;font-style:italic}\n"
        + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
  }

  private static String escape(String s) {
    return SvgChart.escape(s);
  }
}
