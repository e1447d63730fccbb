package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue through {@code bin/adpo select}: each case gets its exit code (2 usage,
 * 3 bad data), a message naming what and where, and no output directory (nor a temporary one).
 */
class BadInputIT {
  @TempDir static Path dir;

  static void write(String name, String... lines) throws Exception {
    Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
  }

  @BeforeAll
  static void files() throws Exception {
    write("good.jsonl",
        "{\"id\":1,\"phi\":[1.0,0.0],\"s\":1}", "{\"id\":2,\"phi\":[0.0,1.0],\"s\":0}",
        "{\"id\":3,\"phi\":[1.0,1.0],\"s\":1}");
    write("no-id.jsonl", "{\"key\":1,\"phi\":[1.0,0.0]}", "{\"key\":2,\"phi\":[0.0,1.0]}");
    write("no-phi.jsonl", "{\"id\":1,\"x\":[1.0,0.0]}");
    write("phi-type.jsonl", "{\"id\":1,\"phi\":{\"a\":1}}");
    write("id-type.jsonl", "{\"id\":1.5,\"phi\":[1.0,0.0]}");
    write("nan.csv", "id,phi", "1,1.0;2.0", "7,3.0;NaN");
    write("inf-b.csv", "id,phi,b", "1,1.0;2.0,0.5", "8,3.0;1.0,Inf");
    write("ragged.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}", "{\"id\":2,\"phi\":[1.0,0.0,3.0]}");
    write("empty-phi.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}", "{\"id\":5,\"phi\":[]}");
    write("dup.jsonl", "{\"id\":4,\"phi\":[1.0,0.0]}", "{\"id\":4,\"phi\":[0.0,1.0]}", "{\"id\":6,\"phi\":[1.0,1.0]}");
    write("null-id.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}", "{\"id\":null,\"phi\":[0.0,1.0]}");
    write("labels.jsonl", "{\"id\":1,\"phi\":[1.0,0.0],\"s\":1}", "{\"id\":9,\"phi\":[0.0,1.0],\"s\":2}");
    write("no-labels.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}");
    write("pair-mismatch.jsonl", "{\"id\":1,\"phi1\":[1.0,0.0],\"phi2\":[1.0]}");
    write("empty.csv", "id,phi");
    write("corrupt.parquet", "this is not parquet");
    write("data.txt", "{\"id\":1,\"phi\":[1.0]}");
    Files.createDirectories(dir.resolve("exists"));
  }

  static Stream<Arguments> cases() {
    List<Arguments> c = new ArrayList<>();
    c.add(Arguments.of("missing input", 3, "input not found", args("nope.jsonl", "dopt")));
    c.add(Arguments.of("unknown format", 2, "cannot tell the format", args("data.txt", "dopt")));
    c.add(Arguments.of("bad --format", 2, "unknown input format 'xml'", args("good.jsonl", "dopt", "--format", "xml")));
    c.add(Arguments.of("corrupt parquet", 3, "corrupt.parquet", args("corrupt.parquet", "dopt")));
    c.add(Arguments.of("missing id column", 3, "no id column 'id'", args("no-id.jsonl", "dopt")));
    c.add(Arguments.of("missing phi column", 3, "no feature column", args("no-phi.jsonl", "dopt")));
    c.add(Arguments.of("phi of wrong type", 3, "column 'phi'", args("phi-type.jsonl", "dopt")));
    c.add(Arguments.of("id of wrong type", 3, "an id must be an integer or a string", args("id-type.jsonl", "dopt")));
    c.add(Arguments.of("NaN in phi", 3, "row with id=7: phi[1] is NaN", args("nan.csv", "dopt")));
    c.add(Arguments.of("Inf in b", 3, "row with id=8: b is Infinity", args("inf-b.csv", "dopt")));
    c.add(Arguments.of("ragged phi", 3, "different lengths", args("ragged.jsonl", "dopt")));
    c.add(Arguments.of("empty phi", 3, "row with id=5: feature vector 'phi' is empty", args("empty-phi.jsonl", "dopt")));
    c.add(Arguments.of("duplicate ids", 3, "duplicate ids in column 'id': 4 (2 rows)", args("dup.jsonl", "dopt")));
    c.add(Arguments.of("null id", 3, "null id", args("null-id.jsonl", "dopt")));
    c.add(Arguments.of("label not 0/1", 3, "row with id=9: label 's' is 2.0", args("labels.jsonl", "adpo-plus")));
    c.add(Arguments.of("no label column", 3, "no label column 's'", args("no-labels.jsonl", "adpo-plus")));
    c.add(Arguments.of("phi1/phi2 mismatch", 3, "phi1 has length 2 but phi2 has length 1", args("pair-mismatch.jsonl", "dopt")));
    c.add(Arguments.of("empty pool", 3, "the pool is empty", args("empty.csv", "dopt")));
    c.add(Arguments.of("budget 0", 2, "budget must be >= 1", args("good.jsonl", "dopt", "--budget", "0")));
    c.add(Arguments.of("budget not a number", 2, "--budget expects an integer", args("good.jsonl", "dopt", "--budget", "ten")));
    c.add(Arguments.of("gamma 0", 2, "gamma must be a finite number > 0", args("good.jsonl", "dopt", "--gamma", "0")));
    c.add(Arguments.of("beta negative", 2, "beta must be a finite number > 0", args("good.jsonl", "dopt", "--beta", "-1")));
    c.add(Arguments.of("lambda 0", 2, "lambda must be a finite number > 0", args("good.jsonl", "adpo-plus", "--lambda", "0")));
    c.add(Arguments.of("unknown algorithm", 2, "unknown algorithm 'best'", args("good.jsonl", "best")));
    c.add(Arguments.of("unknown option", 2, "unknown option --budgt", args("good.jsonl", "dopt", "--budgt", "3")));
    c.add(Arguments.of("missing config file", 2, "configuration file not found", args("good.jsonl", "dopt", "--config", "none.conf")));
    return c.stream();
  }

  static String[] args(String input, String algorithm, String... extra) {
    List<String> a = new ArrayList<>(List.of("select", "--input", input, "--output", "out", "--algorithm", algorithm,
        "--budget", "2"));
    for (int i = 0; i < extra.length; i += 2) {
      int at = a.indexOf(extra[i]);
      if (at >= 0) {
        a.set(at + 1, extra[i + 1]);
      } else {
        a.add(extra[i]);
        a.add(extra[i + 1]);
      }
    }
    return a.toArray(new String[0]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejected(String name, int exitCode, String message, String[] args) throws Exception {
    CliRunner.Result r = CliRunner.run(dir, args);
    assertEquals(exitCode, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("error: "), r.all());
    assertTrue(r.stderr().contains(message), "expected '" + message + "' in: " + r.stderr());
    assertFalse(r.stderr().contains("\tat "), "no stack trace for a user error: " + r.stderr());
    assertFalse(Files.exists(dir.resolve("out")), "no output directory");
    SelectCommandIT.assertNoTemporaryLeftIn(dir);
  }

  @Test
  void existingOutputIsRefusedThenReplacedWithOverwrite() throws Exception {
    CliRunner.Result r = CliRunner.run(dir, "select", "--input", "good.jsonl", "--output", "exists",
        "--algorithm", "dopt", "--budget", "2");
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("output directory already exists"), r.stderr());
    assertFalse(Files.exists(dir.resolve("exists/report.json")));
    CliRunner.Result ok = CliRunner.run(dir, "select", "--input", "good.jsonl", "--output", "exists",
        "--algorithm", "dopt", "--budget", "2", "--overwrite");
    assertEquals(0, ok.exitCode(), ok.all());
    assertTrue(Files.exists(dir.resolve("exists/report.json")));
  }

  @Test
  void budgetLargerThanPoolPicksAllWithAWarning() throws Exception {
    CliRunner.Result r = CliRunner.run(dir, "select", "--input", "good.jsonl", "--output", "all",
        "--algorithm", "adpo-plus", "--budget", "50");
    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("budget 50 exceeds the pool size 3; picking the whole pool"), r.stderr());
    assertTrue(r.stdout().contains("selected 3 of 3 pairs"), r.stdout());
    String report = Files.readString(dir.resolve("all/report.json"));
    assertTrue(report.contains("exceeds the pool size"), "warning recorded in report.json");
  }
}
