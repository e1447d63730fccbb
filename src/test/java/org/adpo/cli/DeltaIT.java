package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta Lake input and output of {@code bin/adpo}, end to end: the same seeded pool as Parquet and
 * as a Delta table gives the same picks; a selection written as Delta is read back by
 * {@code evaluate}; broken Delta tables are bad input (exit 3) with a message naming the path.
 */
class DeltaIT {
  @TempDir static Path dir;

  @BeforeAll
  static void pools() throws Exception {
    for (String format : new String[] {"parquet", "delta"}) {
      CliRunner.Result r = CliRunner.run(dir, "make-synthetic", "--rows", "600", "--dim", "6", "--seed", "5",
          "--partitions", "3", "--output", "pool-" + format, "--output-format", format);
      assertEquals(0, r.exitCode(), r.all());
    }
    assertTrue(Files.isDirectory(dir.resolve("pool-delta/_delta_log")), "make-synthetic wrote a Delta table");
  }

  @Test
  void deltaPoolGivesTheParquetPicksAndDeltaSelectionsAreEvaluated() throws Exception {
    CliRunner.Result fromParquet = CliRunner.run(dir, "select", "--input", "pool-parquet", "--output", "sel-parquet",
        "--algorithm", "adpo-plus", "--budget", "40", "--output-format", "jsonl");
    assertEquals(0, fromParquet.exitCode(), fromParquet.all());
    // Detected from _delta_log/ (the directory also holds .parquet files).
    CliRunner.Result fromDelta = CliRunner.run(dir, "select", "--input", "pool-delta", "--output", "sel-delta",
        "--algorithm", "adpo-plus", "--budget", "40", "--output-format", "jsonl");
    assertEquals(0, fromDelta.exitCode(), fromDelta.all());
    List<String> parquetPicks = lines(dir.resolve("sel-parquet/selection"));
    List<String> deltaPicks = lines(dir.resolve("sel-delta/selection"));
    assertEquals(40, parquetPicks.size());
    assertEquals(40, deltaPicks.size());
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < 40; i++) {
      JsonNode p = json.readTree(parquetPicks.get(i));
      JsonNode d = json.readTree(deltaPicks.get(i));
      // The same pick with the same row; gains and weights agree to rounding (the theta fit sums
      // partitions in the order the files are listed, which differs between the two layouts).
      for (String exact : new String[] {"id", "rank", "phi", "b", "s"}) {
        assertEquals(p.get(exact), d.get(exact), exact + " of pick " + (i + 1));
      }
      for (String close : new String[] {"gain", "weight"}) {
        assertEquals(p.get(close).asDouble(), d.get(close).asDouble(), 1e-9 * Math.abs(p.get(close).asDouble()),
            close + " of pick " + (i + 1));
      }
    }

    // The selection written as a Delta table, atomically, then read back by evaluate.
    CliRunner.Result asDelta = CliRunner.run(dir, "select", "--input", "pool-delta", "--output", "sel-as-delta",
        "--algorithm", "adpo-plus", "--budget", "40", "--output-format", "delta");
    assertEquals(0, asDelta.exitCode(), asDelta.all());
    assertTrue(Files.isRegularFile(dir.resolve("sel-as-delta/selection/_delta_log/00000000000000000000.json")));
    SelectCommandIT.assertNoTemporaryLeftIn(dir);

    CliRunner.Result refused = CliRunner.run(dir, "select", "--input", "pool-delta", "--output", "sel-as-delta",
        "--budget", "5", "--output-format", "delta");
    assertEquals(2, refused.exitCode(), refused.all());
    assertTrue(refused.stderr().contains("output directory already exists"), refused.stderr());

    CliRunner.Result eval = CliRunner.run(dir, "evaluate", "--pool", "pool-delta", "--selection", "d=sel-as-delta",
        "--selection", "j=sel-parquet", "--grid", "5,10,20,40", "--output", "eval");
    assertEquals(0, eval.exitCode(), eval.all());
    List<String> csv = Files.readAllLines(dir.resolve("eval/metrics.csv"));
    assertEquals(9, csv.size(), String.join("\n", csv));
    for (int k = 1; k <= 4; k++) {
      // Same picks, so the same metrics (to rounding), apart from the method name.
      String[] d = csv.get(k).split(",");
      String[] j = csv.get(k + 4).split(",");
      assertEquals("d", d[0]);
      assertEquals("j", j[0]);
      assertEquals(j[1], d[1], "n");
      for (int c = 2; c < 8; c++) {
        assertEquals(Double.parseDouble(j[c]), Double.parseDouble(d[c]), 1e-6 * (1 + Math.abs(Double.parseDouble(j[c]))),
            csv.get(0).split(",")[c] + " at row " + k);
      }
    }
  }

  @Test
  void brokenDeltaTablesAreBadInput() throws Exception {
    // Commit 0 is not JSON.
    copy(dir.resolve("pool-delta"), dir.resolve("bad-log"));
    Files.writeString(dir.resolve("bad-log/_delta_log/00000000000000000000.json"), "{not json\n",
        StandardCharsets.UTF_8);
    // A data file the log refers to is gone (an incomplete copy).
    copy(dir.resolve("pool-delta"), dir.resolve("missing-file"));
    try (Stream<Path> files = Files.list(dir.resolve("missing-file"))) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.delete(part);
    }
    // A log folder with no commit in it.
    Files.createDirectories(dir.resolve("empty-log/_delta_log"));
    for (String[] c : new String[][] {{"bad-log"}, {"missing-file"}, {"empty-log"}, {"pool-parquet", "--format", "delta"}}) {
      List<String> args = new ArrayList<>(List.of("select", "--input", c[0], "--output", "out", "--budget", "5",
          "--algorithm", "dopt"));
      args.addAll(List.of(c).subList(1, c.length));
      CliRunner.Result r = CliRunner.run(dir, args.toArray(new String[0]));
      assertEquals(3, r.exitCode(), c[0] + ": " + r.all());
      assertTrue(r.stderr().contains("error: cannot read input " + c[0]), c[0] + ": " + r.stderr());
      assertFalse(Files.exists(dir.resolve("out")), "no output directory");
    }
    SelectCommandIT.assertNoTemporaryLeftIn(dir);
  }

  /** The lines of the part files of a JSON Lines output directory, in file order. */
  private static List<String> lines(Path selection) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(selection)) {
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        out.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.sorted(Comparator.comparing(Path::toString)).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().endsWith(".crc")) {
          Files.copy(p, target);
        }
      }
    }
  }
}
