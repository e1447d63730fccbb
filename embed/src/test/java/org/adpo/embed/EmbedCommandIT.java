package org.adpo.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.adpo.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/adpo embed end to end on real hh-rlhf rows, and its bad-input behaviour. */
class EmbedCommandIT {
  private static final String SECRET = "zebracorn";

  /** hh-rlhf's harmless-base test split; beside the project in shared/ (required: no skipping). */
  static Path hhRlhf() {
    Path p = CliRunner.projectDir().resolve("../shared/data/hh-rlhf/harmless-base-test.jsonl.gz").normalize();
    assertTrue(Files.isRegularFile(p), "missing test data " + p);
    return p;
  }

  /** The pool's rows by id, read from its JSON Lines part files. */
  static TreeMap<Long, JsonNode> readPool(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    TreeMap<Long, JsonNode> rows = new TreeMap<>();
    try (Stream<Path> parts = Files.list(dir)) {
      for (Path part : parts.filter(f -> !f.getFileName().toString().startsWith("_") && f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
          JsonNode r = json.readTree(line);
          rows.put(r.get("id").asLong(), r);
        }
      }
    }
    return rows;
  }

  @Test
  void embedsHhRlhfIntoAPoolThatSelectReads(@TempDir Path dir) throws Exception {
    Path data = hhRlhf();
    CliRunner.Result r = CliRunner.run(dir, "embed", "--input", data.toString(), "--output", "pool", "--limit", "200",
        "--seed", "7", "--output-format", "jsonl");
    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("embedded 200 pairs (d = 384"), r.stdout());
    TreeMap<Long, JsonNode> pool = readPool(dir.resolve("pool"));
    assertEquals(200, pool.size());
    assertEquals(0L, pool.firstKey());
    assertEquals(199L, pool.lastKey());
    int ones = 0;
    for (JsonNode row : pool.values()) {
      JsonNode phi = row.get("phi");
      assertEquals(MiniLmEncoder.DIM, phi.size());
      double sq = 0;
      for (JsonNode x : phi) {
        sq += x.asDouble() * x.asDouble();
      }
      // the difference of two unit vectors: 0 < |phi| <= 2
      assertTrue(sq > 0 && Math.sqrt(sq) <= 2 + 1e-6, "norm " + Math.sqrt(sq));
      int s = row.get("s").asInt();
      assertEquals(PairSwap.label(7, row.get("id").asLong()), s, "the seeded swap decides s");
      ones += s;
      assertEquals(0.0, row.get("b").asDouble());
      assertFalse(row.has("chosen"), "no text in the pool by default");
    }
    assertTrue(ones > 60 && ones < 140, "s is not constant: " + ones + " of 200 are 1");

    // Same seed, other partitioning, fewer rows: the same rows, bit for bit.
    CliRunner.Result again = CliRunner.run(dir, "embed", "--input", data.toString(), "--output", "pool60",
        "--limit", "60", "--seed", "7", "--partitions", "3", "--output-format", "jsonl");
    assertEquals(0, again.exitCode(), again.all());
    TreeMap<Long, JsonNode> pool60 = readPool(dir.resolve("pool60"));
    assertEquals(60, pool60.size());
    for (var e : pool60.entrySet()) {
      assertEquals(pool.get(e.getKey()), e.getValue(), "row " + e.getKey());
    }

    // The pool is a normal input of select.
    CliRunner.Result sel = CliRunner.run(dir, "select", "--input", "pool", "--output", "sel", "--budget", "8",
        "--algorithm", "adpo-plus");
    assertEquals(0, sel.exitCode(), sel.all());
    assertTrue(sel.stdout().contains("selected 8 of 200 pairs"), sel.stdout());

    // ... and the selection becomes a training file, its text joined from the hh-rlhf file by id
    CliRunner.Result exp = CliRunner.run(dir, "embed", "export", "--selection", "sel", "--output", "train.jsonl",
        "--input", data.toString(), "--limit", "200");
    assertEquals(0, exp.exitCode(), exp.all());
    assertTrue(exp.stdout().contains("text from " + data + " joined by id"), exp.stdout());
    List<String> original = new java.util.ArrayList<>();
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(data));
        var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (int i = 0; i < 200; i++) {
        original.add(lines.readLine());
      }
    }
    ObjectMapper json = new ObjectMapper();
    List<String> train = Files.readAllLines(dir.resolve("train.jsonl"), StandardCharsets.UTF_8);
    assertEquals(8, train.size());
    for (int k = 0; k < 8; k++) {
      JsonNode t = json.readTree(train.get(k));
      assertEquals(k + 1, t.get("rank").asInt());
      JsonNode row = json.readTree(original.get(t.get("id").asInt()));
      // adpo-plus keeps the file's labels: prompt + chosen is the file's chosen dialogue
      assertEquals(row.get("chosen").asText(), t.get("prompt").asText() + t.get("chosen").asText());
      assertTrue(row.get("rejected").asText().endsWith(t.get("rejected").asText()));
    }
  }

  @Test
  void badInputExitsWith3NamingFileAndLineWithoutText(@TempDir Path dir) throws Exception {
    CliRunner.Result missing = CliRunner.run(dir, "embed", "--input", "nope.jsonl", "--output", "pool");
    assertEquals(3, missing.exitCode(), missing.all());
    assertTrue(missing.stderr().contains("error: input not found: nope.jsonl"), missing.stderr());

    String good = "{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\"}";
    List<String[]> cases = List.of(
        new String[] {"{\"prompt\":\"" + SECRET + "\",\"chosen\":", "line 2: invalid JSON at column"},
        new String[] {"{\"prompt\":\"" + SECRET + "\",\"chosen\":\"c\"}", "line 2: missing field 'rejected' (layout triple)"},
        new String[] {"{\"prompt\":\"" + SECRET + "\",\"chosen\":\"\",\"rejected\":\"r\"}",
            "line 2: field 'chosen' is empty (layout triple)"});
    int k = 0;
    for (String[] c : cases) {
      Path in = dir.resolve("bad" + k++ + ".jsonl");
      Files.write(in, List.of(good, c[0], good), StandardCharsets.UTF_8);
      CliRunner.Result r = CliRunner.run(dir, "embed", "--input", in.toString(), "--output", "pool");
      assertEquals(3, r.exitCode(), r.all());
      assertTrue(r.stderr().contains("error: " + in + " " + c[1]), r.stderr());
      assertFalse(r.all().contains(SECRET), "row text printed: " + r.all());
      assertFalse(Files.exists(dir.resolve("pool")), "nothing written");
    }

    CliRunner.Result usage = CliRunner.run(dir, "embed", "--input", "x.jsonl", "--output", "p", "--format", "quad");
    assertEquals(2, usage.exitCode(), usage.all());
  }
}
