package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.adpo.testing.Pools;
import org.junit.jupiter.api.BeforeAll;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bin/adpo evaluate} end to end, as separate processes: two selections made by
 * {@code bin/adpo select} (adpo-plus in Parquet, uniform in CSV) on a generated pool, then the
 * evaluation's four files; and bad inputs (exit code, message, no output directory).
 */
// Spark-version-independent CLI paths: the Spark 4.0 line runs the unit and Spark tests of the same code.
@Tag(DefaultLineOnly.TAG)
class EvaluateCommandIT {
  @TempDir static Path dir;

  @BeforeAll
  static void selections() throws Exception {
    PoolFiles.jsonl(Pools.random(400, 8, 0, 17), dir.resolve("pool.jsonl"));
    CliRunner.Result plus = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", "sel-plus",
        "--algorithm", "adpo-plus", "--budget", "64");
    assertEquals(0, plus.exitCode(), plus.all());
    CliRunner.Result uniform = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", "sel-uniform",
        "--algorithm", "uniform", "--budget", "40", "--output-format", "csv");
    assertEquals(0, uniform.exitCode(), uniform.all());
    Files.write(dir.resolve("unlabelled.jsonl"), List.of("{\"id\":1000,\"phi\":[1,0,0,0,0,0,0,0]}"),
        StandardCharsets.UTF_8);
    Files.write(dir.resolve("other.jsonl"), List.of("{\"id\":1,\"phi\":[1,0,0,0,0,0,0,0],\"s\":1}",
        "{\"id\":2,\"phi\":[0,1,0,0,0,0,0,0],\"s\":0}"), StandardCharsets.UTF_8);
  }

  @Test
  void evaluatesTwoSelections() throws Exception {
    CliRunner.Result r = CliRunner.run(dir, "evaluate", "--pool", "pool.jsonl", "--selection", "sel-plus",
        "--selection", "uni=sel-uniform", "--output", "eval");
    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("evaluated 2 selections at 14 prefix sizes on 400 pairs (d = 8)"), r.stdout());
    Path out = dir.resolve("eval");

    // CSV: the header and one row per (method, n) of the default grids, in that order.
    List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
    assertEquals("method,n,max_logit_error,mean_logit_error,error_rate,accuracy,margin,nll,fit_iterations,"
        + "fit_converged", csv.get(0));
    List<String> keys = new ArrayList<>();
    for (String line : csv.subList(1, csv.size())) {
      String[] cells = line.split(",");
      assertEquals(10, cells.length, line);
      keys.add(cells[0] + ":" + cells[1]);
      double maxError = Double.parseDouble(cells[2]);
      double meanError = Double.parseDouble(cells[3]);
      double errorRate = Double.parseDouble(cells[4]);
      double accuracy = Double.parseDouble(cells[5]);
      assertTrue(maxError >= meanError && meanError >= 0, line);
      assertTrue(errorRate >= 0 && errorRate <= 1 && accuracy >= 0 && accuracy <= 1, line);
      assertTrue(Double.parseDouble(cells[7]) > 0, "nll > 0: " + line);
      assertEquals("true", cells[9], "fit converged: " + line);
    }
    assertEquals(List.of("adpo-plus:1", "adpo-plus:2", "adpo-plus:4", "adpo-plus:8", "adpo-plus:16",
        "adpo-plus:32", "adpo-plus:64", "uni:1", "uni:2", "uni:4", "uni:8", "uni:16", "uni:32", "uni:40"), keys);

    JsonNode json = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(14, json.get("metrics").size());
    assertTrue(json.get("theta_star").get("converged").asBoolean());
    assertEquals(400, json.get("theta_star").get("labelled_rows").asInt());
    assertEquals("adpo-plus", json.get("selections").get("adpo-plus").get("algorithm").asText());
    assertEquals("driver", json.get("selections").get("uni").get("fit_mode").asText());
    assertEquals(1.0, json.get("settings").get("beta").asDouble());

    String html = Files.readString(out.resolve("metrics.html"));
    assertEquals(6, count(html, "<svg"), "one chart per metric");
    assertFalse(html.contains("<script"));
    assertTrue(html.contains("adpo-plus") && html.contains(">uni<"));

    BufferedImage png = ImageIO.read(out.resolve("metrics.png").toFile());
    assertEquals(1200, png.getWidth());
    assertEquals(632, png.getHeight());
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of("_adpo_output.json", "metrics.csv", "metrics.html", "metrics.json", "metrics.png", "report.html"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    checkTableValues(out);
    SelectCommandIT.assertNoTemporaryLeftIn(dir);
  }

  /**
   * metrics.csv and metrics.json hold the same values, row by row; and the uniform selection's rows
   * equal the metrics recomputed here from the pool as generated and the selection's ranks, with
   * theta_hat_n and theta* fitted by the test-side Newton solver (IndependentReference) and each metric
   * from its definition (docs: logit errors over all rows, sign disagreement with theta*, accuracy,
   * margin and mean negative log-likelihood over the labelled rows).
   */
  private static void checkTableValues(Path out) throws Exception {
    List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
    String[] header = csv.get(0).split(",");
    JsonNode json = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("metrics");
    assertEquals(csv.size() - 1, json.size());
    for (int r = 1; r < csv.size(); r++) {
      String[] cells = csv.get(r).split(",");
      JsonNode row = json.get(r - 1);
      assertEquals(cells[0], row.get("method").asText());
      assertEquals(Long.parseLong(cells[1]), row.get("n").asLong());
      for (int c = 2; c < 8; c++) {
        assertEquals(Double.parseDouble(cells[c]), row.get(header[c]).asDouble(), 0.0, header[c] + " of " + csv.get(r));
      }
      assertEquals(Integer.parseInt(cells[8]), row.get("fit_iterations").asInt());
      assertEquals(Boolean.parseBoolean(cells[9]), row.get("fit_converged").asBoolean());
    }

    Pools pool = Pools.random(400, 8, 0, 17);
    double[][] phi = pool.phiAsStored(); // the engine keeps phi in float32
    java.util.Map<Long, Integer> rowOf = new java.util.HashMap<>();
    for (int i = 0; i < pool.ids.length; i++) {
      rowOf.put(pool.ids[i], i);
    }
    // The uniform selection's rows by rank, from its CSV part files.
    java.util.TreeMap<Long, Integer> byRank = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("sel-uniform").resolve("selection"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        List<List<String>> records = SelectOutputContentsIT.Csv.parse(Files.readString(f, StandardCharsets.UTF_8));
        List<String> head = records.get(0);
        for (List<String> rec : records.subList(1, records.size())) {
          byRank.put(Long.parseLong(rec.get(head.indexOf("rank"))), rowOf.get(Long.parseLong(rec.get(head.indexOf("id")))));
        }
      }
    }
    assertEquals(40, byRank.size());
    double[] thetaStar = org.adpo.testing.IndependentReference.fit(phi, pool.b, pool.s, 1.0, 1.0);
    int checked = 0;
    for (String line : csv.subList(1, csv.size())) {
      String[] cells = line.split(",");
      if (!cells[0].equals("uni")) {
        continue;
      }
      int n = Integer.parseInt(cells[1]);
      double[][] sub = new double[n][];
      double[] b = new double[n];
      int[] s = new int[n];
      int k = 0;
      for (int i : byRank.headMap((long) n, true).values()) {
        sub[k] = phi[i];
        b[k] = pool.b[i];
        s[k] = pool.s[i];
        k++;
      }
      assertEquals(n, k);
      double[] theta = org.adpo.testing.IndependentReference.fit(sub, b, s, 1.0, 1.0);
      double max = 0;
      double sum = 0;
      int disagree = 0;
      int correct = 0;
      double margin = 0;
      double nll = 0;
      for (int i = 0; i < phi.length; i++) {
        double z = -pool.b[i];
        double zStar = -pool.b[i];
        double diff = 0;
        for (int j = 0; j < 8; j++) {
          z += phi[i][j] * theta[j];
          zStar += phi[i][j] * thetaStar[j];
          diff += phi[i][j] * (theta[j] - thetaStar[j]);
        }
        max = Math.max(max, Math.abs(diff));
        sum += Math.abs(diff);
        disagree += Math.signum(z) != Math.signum(zStar) ? 1 : 0;
        double y = pool.s[i] == 1 ? 1 : -1;
        correct += Math.signum(z) == y ? 1 : 0;
        margin += y * z;
        double mu = 1 / (1 + Math.exp(-z));
        nll += -(pool.s[i] == 1 ? Math.log(mu) : Math.log1p(-mu));
      }
      String at = "uni at n = " + n + ": " + line;
      assertEquals(max, Double.parseDouble(cells[2]), 1e-6 * Math.max(1, max), "max logit error, " + at);
      assertEquals(sum / 400, Double.parseDouble(cells[3]), 1e-6, "mean logit error, " + at);
      assertEquals(disagree / 400.0, Double.parseDouble(cells[4]), 0.0, "error rate, " + at);
      assertEquals(correct / 400.0, Double.parseDouble(cells[5]), 0.0, "accuracy, " + at);
      assertEquals(margin / 400, Double.parseDouble(cells[6]), 1e-6, "margin, " + at);
      assertEquals(nll / 400, Double.parseDouble(cells[7]), 1e-6, "nll, " + at);
      checked++;
    }
    assertEquals(7, checked, "every prefix of the uniform selection");
  }

  /** The ids of a JSON Lines directory written by Spark. */
  static java.util.Set<Long> ids(Path dir) throws Exception {
    java.util.Set<Long> out = new java.util.TreeSet<>();
    ObjectMapper mapper = new ObjectMapper();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-") && p.getFileName().toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(f)) {
          out.add(mapper.readTree(line).get("id").asLong());
        }
      }
    }
    return out;
  }

  @Test
  void heldOutEvaluationAfterASplit() throws Exception {
    CliRunner.Result split = CliRunner.run(dir, "split", "--input", "pool.jsonl", "--train", "train", "--test", "test",
        "--test-fraction", "0.25", "--seed", "3", "--output-format", "jsonl");
    assertEquals(0, split.exitCode(), split.all());
    java.util.Set<Long> train = ids(dir.resolve("train"));
    java.util.Set<Long> test = ids(dir.resolve("test"));
    assertTrue(split.stdout().contains("split 400 pairs (d = 8) of pool.jsonl by id (seed 3, test fraction 0.25): "
        + train.size() + " to train, " + test.size() + " to test"), split.stdout());
    assertEquals(400, train.size() + test.size());
    java.util.Set<Long> all = new java.util.TreeSet<>(train);
    all.addAll(test);
    assertEquals(400, all.size(), "disjoint, and together the pool");
    assertTrue(test.size() > 70 && test.size() < 130, "about a quarter held out: " + test.size());

    // The same split from the pool in another format, read as three partitions.
    PoolFiles.csv(Pools.random(400, 8, 0, 17), dir.resolve("pool.csv"));
    CliRunner.Result again = CliRunner.run(dir, "split", "--input", "pool.csv", "--train", "train-csv", "--test",
        "test-csv", "--test-fraction", "0.25", "--seed", "3", "--output-format", "jsonl", "--master", "local[3]");
    assertEquals(0, again.exitCode(), again.all());
    assertEquals(test, ids(dir.resolve("test-csv")));
    assertEquals(train, ids(dir.resolve("train-csv")));

    CliRunner.Result sel = CliRunner.run(dir, "select", "--input", "train", "--format", "jsonl", "--output", "sel-train",
        "--algorithm", "adpo-warm", "--budget", "48");
    assertEquals(0, sel.exitCode(), sel.all());
    JsonNode report = new ObjectMapper().readTree(dir.resolve("sel-train/report.json").toFile());
    assertTrue(report.get("pool").get("fingerprint").asText().startsWith("rows-sum64-v1:"));
    assertEquals(32, report.get("selection").get("warm_start").get("warm_picks").asInt(), "4d = 32 warm picks");

    CliRunner.Result r = CliRunner.run(dir, "evaluate", "--pool", "train", "--format", "jsonl", "--test-pool", "test",
        "--selection", "sel-train", "--output", "eval-heldout", "--grid", "8,48");
    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("adpo-warm at n = 48: ") && r.stdout().contains("; on the test pool: "), r.stdout());
    List<String> csv = Files.readAllLines(dir.resolve("eval-heldout/metrics.csv"));
    assertEquals("method,n,max_logit_error,mean_logit_error,error_rate,accuracy,margin,nll,fit_iterations,"
        + "fit_converged,test_max_logit_error,test_mean_logit_error,test_error_rate,test_accuracy,test_margin,test_nll",
        csv.get(0));
    assertEquals(3, csv.size());
    JsonNode json = new ObjectMapper().readTree(dir.resolve("eval-heldout/metrics.json").toFile());
    assertEquals(test.size(), json.get("test_pool").get("rows").asInt());
    assertEquals(train.size(), json.get("pool").get("rows").asInt());
    assertEquals(report.get("pool").get("fingerprint").asText(), json.get("pool").get("fingerprint").asText());
    for (JsonNode row : json.get("metrics")) {
      double acc = row.get("test_accuracy").asDouble();
      assertTrue(acc > 0 && acc <= 1 && row.get("test_max_logit_error").asDouble() >= row.get("test_mean_logit_error")
          .asDouble(), row.toString());
    }
    // The held-out numbers are their own: computed on other rows than the training-pool ones.
    assertFalse(csv.get(2).split(",")[5].equals(csv.get(2).split(",")[13]), csv.get(2));
    String html = Files.readString(dir.resolve("eval-heldout/metrics.html"));
    assertTrue(html.contains("adpo-warm (test)") && html.contains("test_<wbr>accuracy (higher is better)"), "test series and columns");
    SelectCommandIT.assertNoTemporaryLeftIn(dir);
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of("missing selection dir", 3, "selection directory not found: no-such-dir",
            new String[] {"--pool", "pool.jsonl", "--selection", "no-such-dir"}),
        Arguments.of("pool without labels", 3, "evaluate needs labels, but unlabelled.jsonl has no label column 's'",
            new String[] {"--pool", "unlabelled.jsonl", "--selection", "sel-plus"}),
        Arguments.of("selection from another pool", 3, "selection adpo-plus (sel-plus) was made from another pool:"
                + " its report.json records pool.jsonl (400 rows, d = 8, fingerprint rows-sum64-v1:",
            new String[] {"--pool", "other.jsonl", "--selection", "sel-plus"}),
        Arguments.of("no selection", 2, "needs at least one --selection", new String[] {"--pool", "pool.jsonl"}),
        Arguments.of("same name twice", 2, "two selections are named 'x'",
            new String[] {"--pool", "pool.jsonl", "--selection", "x=sel-plus", "--selection", "x=sel-uniform"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInput(String name, int code, String message, String[] args) throws Exception {
    List<String> all = new ArrayList<>(List.of("evaluate"));
    all.addAll(List.of(args));
    all.addAll(List.of("--output", "bad-out"));
    CliRunner.Result r = CliRunner.run(dir, all.toArray(new String[0]));
    assertEquals(code, r.exitCode(), r.all());
    assertTrue(r.stderr().contains(message), r.stderr());
    assertFalse(Files.exists(dir.resolve("bad-out")), "no output directory");
    SelectCommandIT.assertNoTemporaryLeftIn(dir);
  }

  @Test
  void helpListsEveryOption() throws Exception {
    CliRunner.Result r = CliRunner.run(dir, "evaluate", "--help");
    assertEquals(0, r.exitCode());
    for (String option : new String[] {"--pool", "--selection", "--output", "--grid", "--beta", "--lambda",
        "--column", "--format", "--overwrite", "--master", "--config"}) {
      assertTrue(r.stdout().contains(option), option);
    }
    assertTrue(CliRunner.run(dir, "--help").stdout().contains("evaluate"));
    assertTrue(r.stdout().contains("--test-pool"));
    CliRunner.Result split = CliRunner.run(dir, "split", "--help");
    assertEquals(0, split.exitCode());
    for (String option : new String[] {"--input", "--train", "--test", "--test-fraction", "--seed", "--format",
        "--output-format", "--column", "--overwrite", "--master"}) {
      assertTrue(split.stdout().contains(option), option);
    }
    assertTrue(CliRunner.run(dir, "--help").stdout().contains("split"));
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
