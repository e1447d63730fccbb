package org.adpo.eval.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** SVG, HTML and PNG rendering of a small figure: structure, escaping, sizes, degenerate data. */
class ChartTest {
  static Figure figure(int panels) {
    Series a = new Series("adpo-plus", new double[] {1, 2, 4, 8, 64}, new double[] {30, 12, 3, 0.5, 0.02});
    Series b = new Series("u<&>\"", new double[] {1, 2, 4, 8, 40}, new double[] {31, Double.NaN, 9, 4, 1});
    Panel[] p = new Panel[panels];
    for (int i = 0; i < panels; i++) {
      p[i] = new Panel("metric " + i, i % 2 == 0, List.of(a, b));
    }
    return new Figure("test figure", "n", List.of(p));
  }

  @Test
  void svgHasOneLinePerSeriesAndEscapesNames() {
    Figure f = figure(1);
    String svg = SvgChart.render(f, f.panels().get(0));
    assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assertEquals(1, count(svg, "<svg"));
    // series b has a NaN gap: two polylines (one of 1 point is only a marker) -> a: 1, b: 1 (points 4, 8, 40)
    assertEquals(2, count(svg, "<polyline"));
    assertEquals(5 + 1, count(svg, "<circle"), "one marker per finite point (and the legend's): circles for the first");
    assertEquals(4 + 1, count(svg, "<polygon class=\"marker\""), "squares for the second (and its legend entry)");
    assertTrue(svg.contains("class=\"y-label\"") && svg.contains(">metric 0</text>"), "the y axis is labelled");
    assertTrue(svg.contains("u&lt;&amp;&gt;&quot;"), "legend name escaped");
    assertFalse(svg.contains("u<&>"));
    assertTrue(svg.contains(">64<"), "log2 x tick labels are powers of two");
    assertTrue(svg.contains(">0.01<") && svg.contains(">100<"), "log10 y ticks span the data's decades");
  }

  @Test
  void tableNumbersHaveAFewSignificantDigits() {
    assertEquals("0.1235", HtmlPage.cell("0.12345678901234568"));
    assertEquals("1e-12", HtmlPage.cell("1.0E-12"));
    assertEquals("1.235e-5", HtmlPage.cell("1.2345678E-5"));
    assertEquals("123500", HtmlPage.cell("123456.789"));
    assertEquals("2.5e7", HtmlPage.cell("2.5E7"));
    assertEquals("0", HtmlPage.cell("0.0"));
    for (String kept : new String[] {"64", "adpo-plus", "true", "NaN", "Infinity", "a.b"}) {
      assertEquals(kept, HtmlPage.cell(kept));
    }
    String html = HtmlPage.render(figure(1), List.of(), List.of("max_logit_error", "n"),
        List.of(List.of("0.30000000000000004", "8")));
    assertTrue(html.contains("<td>0.3</td><td>8</td>"), html);
    assertTrue(html.contains("<th>max_<wbr>logit_<wbr>error</th>"), "headers may break after underscores");
    assertTrue(html.contains("<div class=\"table\">") && html.contains("overflow-x:auto"), "wide tables scroll");
  }

  @Test
  void metricChartsSayWhichWayIsBetter() {
    org.adpo.eval.MetricTable t = new org.adpo.eval.MetricTable();
    t.add(new org.adpo.eval.MetricTable.Row("adpo", 4,
        new org.adpo.eval.Metrics(0.5, 0.25, 0.1, 0.9, 1.5, 0.3, 100, 100), 3, true));
    Figure f = t.figure("t");
    List<String> titles = f.panels().stream().map(Panel::title).toList();
    assertEquals(List.of("max logit error (lower is better)", "mean logit error (lower is better)",
        "error rate (sign vs theta*) (lower is better)", "accuracy (higher is better)", "margin (higher is better)",
        "negative log-likelihood (lower is better)"), titles);
    assertEquals("accuracy", f.panels().get(3).yLabel());
    assertTrue(org.adpo.eval.MetricTable.directed(java.util.List.of("nll", "test_accuracy")).equals(java.util.List.of("nll (lower is better)", "test_accuracy (higher is better)")));
  }

  @Test
  void htmlIsSelfContainedWithOneSvgPerPanel() {
    String html = HtmlPage.render(figure(6), List.of("a <b> line"), List.of("x", "y"), List.of(List.of("1", "2")));
    assertEquals(6, count(html, "<svg"));
    assertFalse(html.contains("<script"));
    assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"));
    assertFalse(html.contains("https://"));
    assertTrue(html.contains("a &lt;b&gt; line"));
    assertTrue(html.contains("<td>1</td><td>2</td>"));
  }

  @Test
  void pngHasTheDocumentedSizeAndDecodes() throws Exception {
    Figure six = figure(6);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(PngChart.png(six)));
    assertEquals(3 * 400, img.getWidth());
    assertEquals(32 + 2 * 300, img.getHeight());
    assertEquals(PngChart.width(six), img.getWidth());
    // Not blank: some pixel carries the first series' colour family (blue dominant).
    boolean blue = false;
    for (int y = 0; y < img.getHeight() && !blue; y++) {
      for (int x = 0; x < img.getWidth() && !blue; x++) {
        int rgb = img.getRGB(x, y);
        blue = (rgb & 0xff) > 150 && ((rgb >> 16) & 0xff) < 60;
      }
    }
    assertTrue(blue);
    Figure two = figure(2);
    assertEquals(800, PngChart.width(two));
    assertEquals(332, PngChart.height(two));
  }

  @Test
  void degenerateDataStillRenders() {
    Series one = new Series("only", new double[] {4}, new double[] {0.0});
    Series none = new Series("none", new double[] {}, new double[] {});
    Figure f = new Figure("t", "n", List.of(new Panel("flat", true, List.of(one, none))));
    String svg = SvgChart.render(f, f.panels().get(0));
    assertEquals(1 + 1, count(svg, "<circle"), "the point and the legend entry");
    assertFalse(svg.contains("NaN") || svg.contains("Infinity"));
    assertEquals(400, PngChart.image(f).getWidth());
  }

  @Test
  void ticks() {
    assertEquals("4096", ChartPainter.powerOfTwo(12));
    assertEquals("2^13", ChartPainter.powerOfTwo(13));
    assertEquals("0.001", ChartPainter.decade(-3));
    assertEquals("1e-4", ChartPainter.decade(-4));
    assertEquals(0.2, ChartPainter.niceStep(0.17), 1e-15);
    assertEquals(5.0, ChartPainter.niceStep(3.2), 1e-15);
    assertEquals(1.0, ChartPainter.niceStep(1.0), 1e-15);
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
