package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.adpo.testing.Pools;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report.html of {@code bin/adpo select} and {@code evaluate}, opened in headless Chromium (the
 * Debian package {@code chromium}, which {@code .ci/run} installs): every chart is in the rendered
 * DOM with its points, the screenshot shows them, and text from the pool or the paths is escaped.
 */
// Spark-version-independent CLI paths: the Spark 4.0 line runs the unit and Spark tests of the same code.
@Tag(DefaultLineOnly.TAG)
class ReportHtmlIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** The colour of the first line of every chart and of the timing bars. */
  static final int CHART_BLUE = 0x0072B2;

  @TempDir static Path dir;

  @Test
  void selectAndEvaluateReportsRenderInChromium() throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: this test needs the Debian package"
        + " chromium, which .ci/run installs (apt-get install chromium)");
    // A file name with HTML syntax in it: it reaches the page as the pool's source and must be escaped.
    String input = "pool <b>&'x'.jsonl";
    PoolFiles.jsonl(Pools.random(400, 8, 0, 17), dir.resolve(input));
    CliRunner.Result sel = CliRunner.run(dir, "select", "--input", input, "--output", "sel", "--algorithm",
        "adpo-plus", "--budget", "64");
    assertEquals(0, sel.exitCode(), sel.all());
    CliRunner.Result eval = CliRunner.run(dir, "evaluate", "--pool", input, "--selection", "sel", "--output", "eval");
    assertEquals(0, eval.exitCode(), eval.all());

    Path selectHtml = dir.resolve("sel/report.html");
    String source = Files.readString(selectHtml, StandardCharsets.UTF_8);
    assertFalse(source.contains("<script"), "no scripts");
    assertFalse(source.matches("(?s).*(src|href)=.*"), "no external resources");
    assertFalse(source.contains("<b>"), "the file name's markup is escaped");
    assertTrue(source.contains("pool &lt;b&gt;&amp;&#39;x&#39;.jsonl"), "the file name is shown escaped");
    assertFalse(source.contains("quoted"), "no text of the pool's rows");

    String dom = dumpDom(selectHtml);
    assertTrue(dom.contains("adpo select: adpo-plus"), dom.substring(0, Math.min(500, dom.length())));
    assertEquals(64, points(chart(dom, "chart-gain")), "one point per pick");
    int iterations = Integer.parseInt(firstGroup(source, "<th>iterations</th><td>(\\d+)</td>"));
    assertTrue(iterations >= 3, "the fit took a few iterations: " + iterations);
    assertEquals(iterations + 1, points(chart(dom, "chart-fit-loss")), "start + one point per iteration");
    assertEquals(iterations + 1, points(chart(dom, "chart-fit-gradient")));
    assertTrue(count(chart(dom, "chart-timings"), "class=\"bar\"") >= 4, "bars: validate, fit, weights, select...");
    assertChartsVisible(screenshot(selectHtml, "select.png"), 4);

    Path evalHtml = dir.resolve("eval/report.html");
    String evalDom = dumpDom(evalHtml);
    for (int k = 1; k <= 6; k++) {
      // Default grid for 64 picks: n = 1, 2, 4, ..., 64.
      assertEquals(7, points(chart(evalDom, "chart-metric-" + k)), "metric chart " + k);
    }
    assertTrue(points(chart(evalDom, "chart-fit-loss")) >= 4, "theta* fit trace");
    for (int k = 1; k <= 6; k++) {
      String metric = chart(evalDom, "chart-metric-" + k);
      assertTrue(metric.contains("lower is better)") || metric.contains("higher is better)"), "direction: " + metric);
      assertTrue(metric.contains("class=\"y-label\""), "the y axis is labelled: " + metric);
    }
    String metricsHtml = Files.readString(dir.resolve("eval/metrics.html"), StandardCharsets.UTF_8);
    // A 17-digit double has 8 or more digits in a row; 4 significant digits never do (0.0001235 has 7).
    assertFalse(metricsHtml.matches("(?s).*<td>[^<]*\\d{8,}.*"), "numbers to a few significant digits");
    assertTrue(metricsHtml.contains("(lower is better)") && metricsHtml.contains("(higher is better)"));
    assertTrue(count(chart(evalDom, "chart-timings"), "class=\"bar\"") >= 4);
    assertChartsVisible(screenshot(evalHtml, "evaluate.png"), 6);
  }

  /** The rendered page's DOM as Chromium serialises it. */
  private static String dumpDom(Path html) throws Exception {
    Path out = dir.resolve(html.getParent().getFileName() + "-dom.html");
    run(out, "--dump-dom", html.toUri().toString());
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(dom.contains("</html>"), "Chromium printed the DOM: " + dom);
    return dom;
  }

  private static BufferedImage screenshot(Path html, String name) throws Exception {
    Path png = dir.resolve(name);
    run(dir.resolve(name + ".log"), "--screenshot=" + png, "--window-size=1200,2000", html.toUri().toString());
    assertTrue(Files.size(png) > 0, "Chromium wrote " + png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1200, img.getWidth());
    assertEquals(2000, img.getHeight());
    return img;
  }

  private static void run(Path stdout, String... args) throws Exception {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    Path stderr = dir.resolve(stdout.getFileName() + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium did not finish in 2 minutes: " + cmd);
    }
    assertEquals(0, p.exitValue(), "chromium " + args[0] + ": " + Files.readString(stderr));
  }

  /**
   * The charts are drawn: across the area where they sit (below the title, above the tables) at
   * least a few thousand pixels are not white, and the line colour appears in each chart's share.
   */
  private static void assertChartsVisible(BufferedImage img, int charts) {
    int nonWhite = 0;
    int blue = 0;
    for (int y = 100; y < 1000; y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        if (rgb != 0xffffff) {
          nonWhite++;
        }
        if (close(rgb, CHART_BLUE)) {
          blue++;
        }
      }
    }
    assertTrue(nonWhite > 20_000, "non-white pixels in the chart area: " + nonWhite);
    assertTrue(blue > 300 * charts, "pixels of the line colour in the chart area: " + blue);
  }

  private static boolean close(int a, int b) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > 24) {
        return false;
      }
    }
    return true;
  }

  /** The markup of the figure with this id. */
  private static String chart(String dom, String id) {
    int start = dom.indexOf("id=\"" + id + "\"");
    assertTrue(start >= 0, "no element with id " + id + " in the rendered page");
    int end = dom.indexOf("</figure>", start);
    assertTrue(end > start, "figure " + id + " is closed");
    String fig = dom.substring(start, end);
    assertTrue(fig.contains("<svg"), id + " holds an svg");
    return fig;
  }

  /** The number of points of the longest polyline in {@code markup}. */
  private static int points(String markup) {
    Matcher m = Pattern.compile("<polyline[^>]*points=\"([^\"]*)\"").matcher(markup);
    int max = 0;
    while (m.find()) {
      max = Math.max(max, m.group(1).trim().split("\\s+").length);
    }
    return max;
  }

  private static String firstGroup(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    assertTrue(m.find(), "no match for " + regex);
    return m.group(1);
  }

  private static int count(String s, String what) {
    return EvaluateCommandIT.count(s, what);
  }
}
