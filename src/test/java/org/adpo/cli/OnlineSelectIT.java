package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.adpo.testing.Pools;
import org.junit.jupiter.api.BeforeAll;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/adpo select --algorithm adpo|pmc} end to end, as separate processes: the refit history
 * and reveal count in report.json, and the revealed labels in the selection (jsonl output).
 */
// Spark-version-independent CLI paths: the Spark 4.0 line runs the unit and Spark tests of the same code.
@Tag(DefaultLineOnly.TAG)
class OnlineSelectIT {
  @TempDir static Path dir;
  static Pools pool;

  @BeforeAll
  static void writePool() throws Exception {
    pool = Pools.random(200, 5, 10, 23);
    PoolFiles.jsonl(pool, dir.resolve("pool.jsonl"));
  }

  private static List<JsonNode> selection(Path out) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (var files = Files.list(out.resolve("selection"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            rows.add(json.readTree(line));
          }
        }
      }
    }
    rows.sort((a, b) -> Long.compare(a.get("rank").asLong(), b.get("rank").asLong()));
    return rows;
  }

  @Test
  void adpoWithLoggedLabelsAndDoublingRefits() throws Exception {
    Path out = dir.resolve("adpo");
    CliRunner.Result r = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", out.toString(),
        "--algorithm", "adpo", "--budget", "20", "--partitions", "3", "--alpha", "3", "--output-format", "jsonl");
    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("selected 20 of 200 pairs with adpo"), r.stdout());
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals("adpo", report.get("algorithm").asText());
    JsonNode online = report.get("online");
    assertEquals("logged", online.get("oracle").asText());
    assertEquals("doubling", online.get("schedule").asText());
    assertEquals(20, online.get("reveals").asInt());
    List<Integer> before = new ArrayList<>();
    for (JsonNode m : online.get("refits")) {
      before.add(m.get("before_pick").asInt());
      assertEquals(m.get("before_pick").asInt() - 1, m.get("labels").asInt());
      assertTrue(m.get("converged").asBoolean());
    }
    assertEquals(List.of(2, 4, 8, 16), before);
    assertTrue(report.get("fit").get("converged").asBoolean(), "the last refit is the report's fit");

    Map<Long, Integer> logged = new HashMap<>();
    IntStream.range(0, pool.size()).forEach(i -> logged.put(pool.ids[i], pool.s[i]));
    List<JsonNode> rows = selection(out);
    assertEquals(20, rows.size());
    for (JsonNode row : rows) {
      assertEquals((int) logged.get(row.get("id").asLong()), row.get("label").asInt(), "label is the logged s");
    }
  }

  @Test
  void pmcWithBernoulliLabelsInBatches() throws Exception {
    Path theta = dir.resolve("theta.txt");
    StringBuilder sb = new StringBuilder();
    for (double t : pool.thetaTrue) {
      sb.append(t).append('\n');
    }
    Files.writeString(theta, sb.toString());
    Path out = dir.resolve("pmc");
    CliRunner.Result r = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", out.toString(),
        "--algorithm", "pmc", "--budget", "12", "--oracle", "bernoulli", "--theta-true", theta.toString(),
        "--batch", "4", "--schedule", "batch", "--output-format", "jsonl");
    assertEquals(0, r.exitCode(), r.all());
    JsonNode online = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("online");
    assertEquals("bernoulli", online.get("oracle").asText());
    assertEquals(12, online.get("reveals").asInt());
    assertEquals(2, online.get("refit_count").asInt());
    assertEquals(12, selection(out).size());
  }

  @Test
  void onlineOptionsAreValidated() throws Exception {
    CliRunner.Result r = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", dir.resolve("x").toString(),
        "--algorithm", "adpo", "--schedule", "every:0");
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("every:K"), r.stderr());
    r = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", dir.resolve("x").toString(),
        "--algorithm", "adpo-plus", "--batch", "4");
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("batch applies to the online algorithms"), r.stderr());
  }
}
