package org.adpo.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** report.html from a report map: every chart, escaped text, no scripts. */
class ReportHtmlTest {
  private static Map<String, Object> report(boolean withFit) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("beta", 1.0);
    settings.put("columns", Map.of("id", "<img src=x onerror=alert(1)>"));
    Map<String, Object> pool = new LinkedHashMap<>();
    pool.put("source", "/data/a&b<script>.parquet");
    pool.put("rows", 300L);
    pool.put("dimension", 6);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("algorithm", "adpo-plus");
    r.put("settings", settings);
    r.put("pool", pool);
    if (withFit) {
      Map<String, Object> fit = new LinkedHashMap<>();
      fit.put("iterations", 3);
      fit.put("trace", Map.of("loss", List.of(10.0, 5.0, 4.0, 3.9), "gradient_norm", List.of(3.0, 1.0, 0.1, 1e-8),
          "evaluations", List.of(1, 2, 3, 4)));
      r.put("fit", fit);
    } else {
      r.put("fit", null);
    }
    r.put("selection", Map.of("picks", 3, "rounds", 1, "log_det_final", 1.5, "log_det_design", "Fisher-weighted"));
    r.put("spark", Map.of("version", "3.5.9", "master", "local[2]", "jobs", 7));
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("validate", 1.5);
    timings.put("select", 0.5);
    timings.put("total", 2.5);
    r.put("timings_s", timings);
    r.put("warnings", List.of("a <warning> & more"));
    return r;
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
  }

  @Test
  void runWithoutFitSaysSo() {
    String html = ReportHtml.select(report(false), new double[] {0.5});
    assertTrue(html.contains("id=\"chart-fit-none\""));
    assertFalse(html.contains("chart-fit-loss"));
  }
}
