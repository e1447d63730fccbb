package org.adpo.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** report.html from a report: every chart, escaped text, no scripts. */
class ReportHtmlTest {
  private static SelectionReport report(boolean withFit) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("beta", 1.0);
    settings.put("columns", Map.of("id", "<img src=x onerror=alert(1)>"));
    SelectionReport.Pool pool = new SelectionReport.Pool("/data/a&b<script>.parquet", 300L, 6, 2, 150, 150, "f", 0);
    SelectionReport.Fit fit = withFit ? new SelectionReport.Fit(3, 4, 3.9, 1e-8, true, 1.0,
        new SelectionReport.Trace(List.of(10.0, 5.0, 4.0, 3.9), List.of(3.0, 1.0, 0.1, 1e-8), List.of(1, 2, 3, 4)))
        : null;
    SelectionReport.Selection sel = new SelectionReport.Selection(3, 1, "lazy", "scalar", "driver", 0, 0, 0, 16, null, null,
        null, null, null, null, null, null, 3.0, 0.0, 1.5, "Fisher-weighted", 1.5, null, null);
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("validate", 1.5);
    timings.put("select", 0.5);
    timings.put("total", 2.5);
    return new SelectionReport("adpo-plus", settings, pool, fit, null, sel,
        new SelectionReport.Spark("3.5.9", "local[2]", 7), timings, List.of("a <warning> & more"));
  }

  @Test
  void selectPageHasEveryChartAndEscapesAllText() {
    String html = ReportHtml.select(report(true), new double[] {0.5, 0.3, 0.1});
    for (String id : new String[] {"chart-gain", "chart-fit-loss", "chart-fit-gradient", "chart-timings"}) {
      assertTrue(html.contains("<figure class=\"chart\" id=\"" + id + "\">"), id);
    }
    assertFalse(html.contains("<script"), "no script, and the path's markup is escaped");
    assertFalse(html.contains("<img"), "a column name's markup is escaped");
    assertTrue(html.contains("/data/a&amp;b&lt;script&gt;.parquet"));
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assertTrue(html.contains("a &lt;warning&gt; &amp; more"));
    assertTrue(html.contains("(total 2.5 s)"));
    assertTrue(html.contains(" in 1 round; log det 1.5 of the Fisher-weighted design."), html);
    assertFalse(html.contains("<th>trace"), "the trace is drawn, not tabulated");
    assertTrue(html.contains("<tr><th>columns.id</th>"), "nested settings are tabulated under their JSON path");
    assertTrue(html.contains("<tr><th>log_det_final</th><td>1.5</td></tr>"), "keys as report.json writes them");
    assertFalse(html.contains("<th>max_gather"), "a statistic the run did not have is not listed");
  }

  @Test
  void runWithoutFitSaysSo() {
    String html = ReportHtml.select(report(false), new double[] {0.5});
    assertTrue(html.contains("id=\"chart-fit-none\""));
    assertFalse(html.contains("chart-fit-loss"));
  }
}
