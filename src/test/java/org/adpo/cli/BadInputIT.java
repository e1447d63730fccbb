package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue of docs/errors.md, run through {@code bin/adpo}: every documented case is
 * run here and every case run here is documented. Each gets the documented exit code and exactly the
 * documented first line of its message ({@code …} in the document stands for a part that differs
 * between runs, such as an absolute temporary path), no stack trace, and no output directory nor a
 * temporary one left beside it. The case that succeeds (exit 0) is checked for its warning
 * line instead, which report.json records as well.
 */
@Tag(DefaultLineOnly.TAG)
class BadInputIT {
  @TempDir static Path dir;
  static Map<String, Documented> documented;
  /** How the unreadable-input case was made: chmod 000 blocks reads except for root. */
  static String unreadableKind;

  record Documented(int exitCode, String message) {}

  static void write(String name, String... lines) throws Exception {
    Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
  }

  @BeforeAll
  static void files() throws Exception {
    documented = readCatalogue(CliRunner.projectDir().resolve("docs/errors.md"));
    write("good.jsonl",
        "{\"id\":1,\"phi\":[1.0,0.0],\"s\":1}", "{\"id\":2,\"phi\":[0.0,1.0],\"s\":0}",
        "{\"id\":3,\"phi\":[1.0,1.0],\"s\":1}");
    write("no-id.jsonl", "{\"key\":1,\"phi\":[1.0,0.0]}", "{\"key\":2,\"phi\":[0.0,1.0]}");
    write("no-phi.jsonl", "{\"id\":1,\"x\":[1.0,0.0]}");
    write("phi1-only.jsonl", "{\"id\":1,\"phi1\":[1.0,0.0]}");
    write("phi-type.jsonl", "{\"id\":1,\"phi\":{\"a\":1}}");
    write("phi-strings.jsonl", "{\"id\":1,\"phi\":[\"a\",\"b\"]}");
    write("phi-text.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}", "{\"id\":2,\"phi\":\"high, low\"}");
    write("id-type.jsonl", "{\"id\":1.5,\"phi\":[1.0,0.0]}");
    write("nan.csv", "id,phi", "1,1.0;2.0", "7,3.0;NaN");
    write("inf-phi.csv", "id,phi", "1,1.0;2.0", "11,Infinity;1.0");
    write("nan-b.csv", "id,phi,b", "1,1.0;2.0,0.5", "12,3.0;1.0,NaN");
    write("inf-b.csv", "id,phi,b", "1,1.0;2.0,0.5", "8,3.0;1.0,Inf");
    write("ragged.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}", "{\"id\":2,\"phi\":[1.0,0.0,3.0]}");
    write("empty-phi.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}", "{\"id\":5,\"phi\":[]}");
    write("dup.jsonl", "{\"id\":4,\"phi\":[1.0,0.0]}", "{\"id\":4,\"phi\":[0.0,1.0]}", "{\"id\":6,\"phi\":[1.0,1.0]}");
    write("null-id.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}", "{\"id\":null,\"phi\":[0.0,1.0]}");
    write("labels.jsonl", "{\"id\":1,\"phi\":[1.0,0.0],\"s\":1}", "{\"id\":9,\"phi\":[0.0,1.0],\"s\":2}");
    write("labels-equal.jsonl", "{\"id\":1,\"phi\":[1.0,0.0],\"s\":1}", "{\"id\":2,\"phi\":[0.0,1.0],\"s\":1}",
        "{\"id\":3,\"phi\":[1.0,1.0],\"s\":1}");
    write("no-labels.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}");
    write("other-pool.jsonl", "{\"id\":1,\"phi\":[2.0,0.0],\"s\":1}", "{\"id\":2,\"phi\":[0.0,1.0],\"s\":0}",
        "{\"id\":3,\"phi\":[1.0,1.0],\"s\":1}");
    write("good-d3.jsonl", "{\"id\":11,\"phi\":[1.0,0.0,2.0],\"s\":1}", "{\"id\":12,\"phi\":[0.0,1.0,0.5],\"s\":0}");
    write("pair-mismatch.jsonl", "{\"id\":1,\"phi1\":[1.0,0.0],\"phi2\":[1.0]}");
    write("empty.csv", "id,phi");
    Files.write(dir.resolve("empty.jsonl"), new byte[0]);
    write("malformed.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}", "{\"id\":2,\"phi\":[0.0,1.0]}", "{\"id\":3,\"phi\":[1.0,");
    write("malformed.csv", "id,phi,note", "1,1.0;0.0,first", "2,0.0;1.0,second,extra,fields");
    write("corrupt.parquet", "this is not parquet");
    write("data.txt", "{\"id\":1,\"phi\":[1.0]}");
    write("syntax.conf", "adpo.select { budget = ");
    write("unknown-key.conf", "adpo.select {", "  budgett = 3", "}");
    write("wrong-type.conf", "adpo.select.budget = many");
    write("section-type.conf", "adpo.select = 3");
    write("include.conf", "include url(\"http://127.0.0.1:1/x\")", "adpo.select.budget = 3");
    write("env.conf", "adpo.input.columns.id = ${HOME}");
    Files.createDirectories(dir.resolve("conf-dir.conf"));
    Files.createDirectories(dir.resolve("empty-dir.jsonl"));

    Path unreadable = dir.resolve("unreadable.jsonl");
    write("unreadable.jsonl", "{\"id\":1,\"phi\":[1.0]}");
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
    if (Files.isReadable(unreadable)) {
      // Running as root: permissions do not block reads. A data directory whose part file is a
      // dangling link is unreadable for every user.
      Files.delete(unreadable);
      Files.createDirectories(unreadable);
      Files.createSymbolicLink(unreadable.resolve("part-00000.jsonl"), dir.resolve("gone/part-00000.jsonl"));
      unreadableKind = "directory with a dangling part file (root ignores chmod 000)";
    } else {
      unreadableKind = "file with mode 000";
    }

    SparkSession spark = SparkSession.builder().master("local[1]").appName("bad-input-fixtures")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      // A Parquet pool whose phi column holds strings.
      spark.createDataFrame(List.of(RowFactory.create(1L, "0.5 x"), RowFactory.create(2L, "1.0 y")),
              DataTypes.createStructType(List.of(
                  DataTypes.createStructField("id", DataTypes.LongType, false),
                  DataTypes.createStructField("phi", DataTypes.StringType, false))))
          .coalesce(1).write().parquet(dir.resolve("phi-string.parquet").toString());
      // A real Parquet file cut in half.
      spark.read().json(dir.resolve("good.jsonl").toString()).coalesce(1).write()
          .parquet(dir.resolve("whole.parquet").toString());
    } finally {
      spark.stop();
    }
    Path part;
    try (Stream<Path> s = Files.list(dir.resolve("whole.parquet"))) {
      part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(part);
    Files.write(dir.resolve("truncated.parquet"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

    // Spark settings as spark-submit takes them are accepted by every command.
    CliRunner.Result sel = CliRunner.run(dir, "select", "--input", "good.jsonl", "--output", "sel-good",
        "--algorithm", "dopt", "--budget", "2", "--conf", "spark.driver.memory=1g",
        "--conf=spark.sql.shuffle.partitions=3");
    assertEquals(0, sel.exitCode(), sel.all());
    Files.createDirectories(dir.resolve("exists"));
    write("exists/keep.txt", "not an adpo-spark output");
    write("big-phi.jsonl", "{\"id\":1,\"phi\":[1.0,0.0]}", "{\"id\":2,\"phi\":[1e39,1.0]}");
    write("weight-overflow.jsonl", "{\"id\":1,\"phi\":[1.0,0.0],\"weight\":1e308}",
        "{\"id\":2,\"phi\":[0.5,1.0],\"weight\":1}", "{\"id\":3,\"phi\":[1.0,1.0],\"weight\":1e308}");
    write("ctl-id.jsonl", "{\"id\":\"a\\u001b[2J\\nerror: forged\",\"phi\":[1.0,0.0]}",
        "{\"id\":\"a\\u001b[2J\\nerror: forged\",\"phi\":[0.0,1.0]}");
    String longId = "x".repeat(100_000);
    write("long-id.jsonl", "{\"id\":\"" + longId + "\",\"phi\":[1.0,0.0]}",
        "{\"id\":\"" + longId + "\",\"phi\":[0.0,1.0]}");
    // A Parquet pool whose part files disagree on the columns (the second lacks b), and a pool
    // directory with a subdirectory whose files a reader would skip.
    Path mixed = Files.createDirectories(dir.resolve("mixed.parquet"));
    SparkSession spark2 = SparkSession.builder().master("local[1]").appName("bad-input-fixtures-2")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      spark2.read().json(dir.resolve("good.jsonl").toString()).selectExpr("id", "phi", "0.5 AS b").coalesce(1)
          .write().parquet(dir.resolve("with-b.parquet").toString());
      spark2.read().json(dir.resolve("good.jsonl").toString()).selectExpr("id + 10 AS id", "phi").coalesce(1)
          .write().parquet(dir.resolve("without-b.parquet").toString());
    } finally {
      spark2.stop();
    }
    copyPart(dir.resolve("with-b.parquet"), mixed.resolve("part-00000.parquet"));
    copyPart(dir.resolve("without-b.parquet"), mixed.resolve("part-00001.parquet"));
    Path nested = Files.createDirectories(dir.resolve("nested.jsonl/sub"));
    Files.copy(dir.resolve("good.jsonl"), nested.getParent().resolve("part-0.jsonl"));
    Files.copy(dir.resolve("good.jsonl"), nested.resolve("part-1.jsonl"));
    cases = cases();
    for (String[] a : cases.values()) {
      String out = outputOf(a);
      if (out != null && !out.isEmpty() && Files.exists(dir.resolve(out))) {
        preexisting.put(out, listing(dir.resolve(out)));
      }
    }
    results = runAll();
  }

  static Map<String, String[]> cases;
  static Map<String, CliRunner.Result> results;
  /** Outputs of cases that exist before the runs (inputs, a foreign directory), with their listing. */
  static final Map<String, List<String>> preexisting = new LinkedHashMap<>();

  static List<String> listing(Path p) throws java.io.IOException {
    if (!Files.isDirectory(p)) {
      return List.of("file of " + Files.size(p) + " bytes");
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.map(q -> q.getFileName().toString()).sorted().toList();
    }
  }

  static void copyPart(Path parquetDir, Path to) throws java.io.IOException {
    try (Stream<Path> s = Files.list(parquetDir)) {
      Files.copy(s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow(), to);
    }
  }

  static String[] flag(String[] a, String flag) {
    String[] b = java.util.Arrays.copyOf(a, a.length + 1);
    b[a.length] = flag;
    return b;
  }

  /** The cases, by the names docs/errors.md gives them. */
  static Map<String, String[]> cases() {
    Map<String, String[]> c = new LinkedHashMap<>();
    c.put("missing input path", args("nope.jsonl", "dopt"));
    c.put("unreadable input path", args("unreadable.jsonl", "dopt"));
    c.put("input directory without data", args("empty-dir.jsonl", "dopt"));
    c.put("unknown format (file name)", args("data.txt", "dopt"));
    c.put("unknown format (--format)", args("good.jsonl", "dopt", "--format", "xml"));
    c.put("corrupt Parquet (garbage)", args("corrupt.parquet", "dopt"));
    c.put("corrupt Parquet (truncated)", args("truncated.parquet", "dopt"));
    c.put("malformed JSON Lines record", args("malformed.jsonl", "dopt"));
    c.put("malformed CSV record", args("malformed.csv", "dopt"));
    c.put("missing id column", args("no-id.jsonl", "dopt"));
    c.put("missing phi column", args("no-phi.jsonl", "dopt"));
    c.put("phi1 without phi2", args("phi1-only.jsonl", "dopt"));
    c.put("phi of wrong type (JSON object)", args("phi-type.jsonl", "dopt"));
    c.put("phi of wrong type (JSON strings)", args("phi-strings.jsonl", "dopt"));
    c.put("phi of wrong type (JSON text)", args("phi-text.jsonl", "dopt"));
    c.put("phi of wrong type (Parquet string)", args("phi-string.parquet", "dopt"));
    c.put("id of wrong type", args("id-type.jsonl", "dopt"));
    c.put("ragged phi", args("ragged.jsonl", "dopt"));
    c.put("empty phi", args("empty-phi.jsonl", "dopt"));
    c.put("phi1/phi2 length mismatch", args("pair-mismatch.jsonl", "dopt"));
    c.put("NaN in phi", args("nan.csv", "dopt"));
    c.put("Inf in phi", args("inf-phi.csv", "dopt"));
    c.put("NaN in b", args("nan-b.csv", "dopt"));
    c.put("Inf in b", args("inf-b.csv", "dopt"));
    c.put("duplicate ids", args("dup.jsonl", "dopt"));
    c.put("null id", args("null-id.jsonl", "dopt"));
    c.put("label not 0/1 (select adpo-plus)", args("labels.jsonl", "adpo-plus"));
    c.put("label not 0/1 (evaluate)", new String[] {"evaluate", "--pool", "labels.jsonl", "--selection",
        "sel-good", "--output", freshOutput()});
    c.put("evaluate a selection made from another pool", new String[] {"evaluate", "--pool", "other-pool.jsonl",
        "--selection", "sel-good", "--output", freshOutput()});
    c.put("evaluate test pool sharing ids with the pool", new String[] {"evaluate", "--pool", "good.jsonl",
        "--test-pool", "good.jsonl", "--selection", "sel-good", "--output", freshOutput()});
    c.put("evaluate test pool of another dimension", new String[] {"evaluate", "--pool", "good.jsonl",
        "--test-pool", "good-d3.jsonl", "--selection", "sel-good", "--output", freshOutput()});
    c.put("split test fraction out of range", new String[] {"split", "--input", "good.jsonl", "--train", freshOutput(),
        "--test", freshOutput(), "--test-fraction", "1.5"});
    c.put("split train and test the same directory", new String[] {"split", "--input", "good.jsonl", "--train", "same",
        "--test", "same", "--test-fraction", "0.5"});
    c.put("split leaving a side empty", new String[] {"split", "--input", "good.jsonl", "--train", freshOutput(),
        "--test", freshOutput(), "--test-fraction", "0.001"});
    c.put("no label column (adpo-plus)", args("no-labels.jsonl", "adpo-plus"));
    c.put("all labels equal (adpo-plus)", args("labels-equal.jsonl", "adpo-plus", "--output", "ok-labels"));
    c.put("empty pool (CSV header only)", args("empty.csv", "dopt"));
    c.put("empty pool (empty file)", args("empty.jsonl", "dopt"));
    c.put("budget 0", args("good.jsonl", "dopt", "--budget", "0"));
    c.put("budget negative", args("good.jsonl", "dopt", "--budget", "-3"));
    c.put("budget not a number", args("good.jsonl", "dopt", "--budget", "ten"));
    c.put("budget larger than the pool", args("good.jsonl", "adpo-plus", "--budget", "50", "--output", "ok-budget"));
    c.put("gamma 0", args("good.jsonl", "dopt", "--gamma", "0"));
    c.put("beta negative", args("good.jsonl", "dopt", "--beta", "-1"));
    c.put("lambda 0", args("good.jsonl", "adpo-plus", "--lambda", "0"));
    c.put("unknown algorithm", args("good.jsonl", "best"));
    c.put("unknown option", args("good.jsonl", "dopt", "--budgt", "3"));
    c.put("option missing its value (last)", new String[] {"select", "--input", "good.jsonl", "--output", freshOutput(),
        "--budget"});
    c.put("option missing its value (before another)", new String[] {"select", "--input", "good.jsonl", "--budget",
        "--output", freshOutput()});
    c.put("output directory exists", args("good.jsonl", "dopt", "--output", "exists"));
    c.put("configuration file missing", args("good.jsonl", "dopt", "--config", "none.conf"));
    c.put("configuration file is a directory", args("good.jsonl", "dopt", "--config", "conf-dir.conf"));
    c.put("configuration syntax error", args("good.jsonl", "dopt", "--config", "syntax.conf"));
    c.put("configuration unknown key", args("good.jsonl", "dopt", "--config", "unknown-key.conf"));
    c.put("configuration wrong type", args("good.jsonl", "dopt", "--config", "wrong-type.conf"));
    c.put("configuration value where a section belongs", args("good.jsonl", "dopt", "--config", "section-type.conf"));
    c.put("configuration include", args("good.jsonl", "dopt", "--config", "include.conf"));
    c.put("configuration environment substitution", args("good.jsonl", "dopt", "--config", "env.conf"));
    c.put("output is the input", flag(args("good.jsonl", "dopt", "--output", "good.jsonl"), "--overwrite"));
    c.put("output contains the input", flag(args("good.jsonl", "dopt", "--output", "."), "--overwrite"));
    c.put("output inside the input", args("whole.parquet", "dopt", "--output", "whole.parquet/sel"));
    c.put("--overwrite of a directory adpo-spark did not write",
        flag(args("good.jsonl", "dopt", "--output", "exists"), "--overwrite"));
    c.put("output under a regular file", args("good.jsonl", "dopt", "--output", "data.txt/out"));
    c.put("output path with a colon", args("good.jsonl", "dopt", "--output", "a:b"));
    c.put("output path empty", args("good.jsonl", "dopt", "--output", ""));
    c.put("input path empty", args("", "dopt"));
    c.put("checkpoint directory is a file", args("good.jsonl", "dopt", "--checkpoint-dir", "data.txt"));
    c.put("phi beyond the float32 range", args("big-phi.jsonl", "dopt"));
    c.put("weights that overflow (dopt)", args("weight-overflow.jsonl", "dopt"));
    c.put("repeated --column role", args("good.jsonl", "dopt", "--column", "id=a", "--column2", "id=b"));
    c.put("id with control characters", args("ctl-id.jsonl", "dopt"));
    c.put("id of 100,000 characters", args("long-id.jsonl", "dopt"));
    c.put("Parquet part files with different columns", args("mixed.parquet", "dopt"));
    c.put("subdirectory inside a pool directory", args("nested.jsonl", "dopt"));
    c.put("--conf not a Spark setting", args("good.jsonl", "dopt", "--conf", "foo=1"));
    c.put("--conf spark.adpo.select.rounds of no known value",
        args("good.jsonl", "dopt", "--conf", "spark.adpo.select.rounds=gpu"));
    c.put("master URL invalid", args("good.jsonl", "dopt", "--master", "local[0]"));
    c.put("master unreachable", args("good.jsonl", "dopt", "--master", "spark://127.0.0.1:9",
        "--checkpoint-dir", "ck"));
    return c;
  }

  static Stream<Arguments> arguments() {
    return cases().keySet().stream().map(Arguments::of);
  }

  /**
   * Runs every case, four processes at a time (each JVM start is mostly waiting), each with its
   * own output name so that the runs cannot see each other's outputs.
   */
  static Map<String, CliRunner.Result> runAll() throws Exception {
    Map<String, String[]> cases = cases();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      Map<String, java.util.concurrent.Future<CliRunner.Result>> futures = new LinkedHashMap<>();
      for (Map.Entry<String, String[]> e : cases.entrySet()) {
        futures.put(e.getKey(), pool.submit(() -> CliRunner.run(dir, e.getValue())));
      }
      Map<String, CliRunner.Result> results = new LinkedHashMap<>();
      for (Map.Entry<String, java.util.concurrent.Future<CliRunner.Result>> f : futures.entrySet()) {
        results.put(f.getKey(), f.getValue().get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The output directory a case must not leave behind: --output, or split's --train (and --test, checked too). */
  static String outputOf(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--output") || args[i].equals("--train")) {
        return args[i + 1];
      }
    }
    return null;
  }

  private static int outputs;

  static synchronized String freshOutput() {
    return "out-" + (++outputs);
  }

  static String[] args(String input, String algorithm, String... extra) {
    List<String> a = new ArrayList<>(List.of("select", "--input", input, "--output", freshOutput(), "--algorithm", algorithm,
        "--budget", "2"));
    for (int i = 0; i < extra.length; i += 2) {
      if (extra[i].endsWith("2")) { // a second use of a repeated option
        a.add(extra[i].substring(0, extra[i].length() - 1));
        a.add(extra[i + 1]);
        continue;
      }
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

  /** The rows of the catalogue table: | case | exit code | `first line` |. */
  static Map<String, Documented> readCatalogue(Path doc) throws Exception {
    Map<String, Documented> m = new LinkedHashMap<>();
    Pattern row = Pattern.compile("^\\|\\s*(.+?)\\s*\\|\\s*(\\d)\\s*\\|\\s*`(.*)`\\s*\\|\\s*$");
    for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
      Matcher mm = row.matcher(line);
      if (mm.matches()) {
        String previous = mm.group(3).replace("\\|", "|");
        if (m.put(mm.group(1), new Documented(Integer.parseInt(mm.group(2)), previous)) != null) {
          fail("docs/errors.md lists case '" + mm.group(1) + "' twice");
        }
      }
    }
    assertFalse(m.isEmpty(), "no catalogue rows in " + doc);
    return m;
  }

  /** True when {@code line} is {@code documented}, where each … stands for any text. */
  static boolean matches(String documented, String line) {
    StringBuilder re = new StringBuilder();
    for (String part : documented.split("…", -1)) {
      if (re.length() > 0 || documented.startsWith("…")) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(line).matches();
  }

  @Test
  void everyDocumentedCaseIsRunAndEveryCaseIsDocumented() {
    assertEquals(new TreeSet<>(documented.keySet()), new TreeSet<>(cases.keySet()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arguments")
  void catalogue(String name) throws Exception {
    Documented doc = documented.get(name);
    assertNotNull(doc, "docs/errors.md has no row for '" + name + "'");
    String[] args = cases.get(name);
    CliRunner.Result r = results.get(name);
    List<String> lines = r.stderr().lines().toList();
    String seen = "catalogue | " + name + " | " + r.exitCode() + " | " + lines.stream()
        .filter(l -> l.startsWith("error: ") || l.contains(" WARN  progress: ")).findFirst().orElse("");
    System.out.println(seen);
    Files.writeString(CliRunner.projectDir().resolve("target/catalogue-seen.txt"), seen + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    String context = String.join(" ", args) + (name.startsWith("unreadable") ? " (" + unreadableKind + ")" : "")
        + "\n" + r.all();
    assertEquals(doc.exitCode(), r.exitCode(), context);
    assertFalse(r.stderr().contains("\tat "), "no stack trace for a user error: " + context);
    String output = outputOf(args);
    if (doc.exitCode() == 0) {
      String warning = lines.stream().filter(l -> l.contains(" WARN  progress: "))
          .map(l -> l.replaceFirst("^.*? WARN  progress: ", ""))
          .filter(l -> matches(doc.message(), l)).findFirst().orElse(null);
      assertNotNull(warning, "expected the warning '" + doc.message() + "' in: " + context);
      Path out = dir.resolve(output);
      assertTrue(Files.readString(out.resolve("report.json")).contains(warning.substring(0, 20)),
          "warning recorded in report.json");
    } else {
      String error = lines.stream().filter(l -> l.startsWith("error: ")).findFirst().orElse(null);
      assertNotNull(error, "no 'error: ' line: " + context);
      assertTrue(matches(doc.message(), error), "expected\n  " + doc.message() + "\ngot\n  " + error + "\n" + context);
      assertTrue(error.length() < 600, "one short line: " + error.length() + " characters");
      if (preexisting.containsKey(output)) {
        assertTrue(Files.exists(dir.resolve(output)), "the existing " + output + " is kept");
        if (!output.equals(".")) {
          assertEquals(preexisting.get(output), listing(dir.resolve(output)), "the existing " + output + " is untouched");
        }
        assertTrue(Files.exists(dir.resolve("good.jsonl")), "the input is kept");
      } else if (!output.isEmpty() && !output.contains(":")) {
        assertFalse(Files.exists(dir.resolve(output)), "no output directory");
        List<String> all = List.of(args);
        if (all.contains("--test")) {
          assertFalse(Files.exists(dir.resolve(all.get(all.indexOf("--test") + 1))), "no test pool");
        }
      }
    }
    if (!output.isEmpty() && !output.contains(":")) {
      Path target = dir.resolve(output).toAbsolutePath().normalize();
      Path parent = target.getParent();
      if (Files.isDirectory(parent)) {
        try (Stream<Path> s = Files.list(parent)) {
          String hidden = "." + target.getFileName() + ".";
          assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(hidden)),
              "temporary output or lock left behind");
        }
      }
    }
  }

  @Test
  void overwriteReplacesTheOldOutputOnlyWhenTheNewOneIsComplete() throws Exception {
    Path target = dir.resolve("replace");
    CliRunner.Result first = CliRunner.run(dir, "select", "--input", "good.jsonl", "--output", "replace",
        "--algorithm", "dopt", "--budget", "1");
    assertEquals(0, first.exitCode(), first.all());
    Files.writeString(target.resolve("old-marker.txt"), "from the first run");

    // A failing run with --overwrite leaves the old output as it was.
    CliRunner.Result failed = CliRunner.run(dir, "select", "--input", "dup.jsonl", "--output", "replace",
        "--algorithm", "dopt", "--budget", "2", "--overwrite");
    assertEquals(3, failed.exitCode(), failed.all());
    assertTrue(Files.exists(target.resolve("old-marker.txt")), "old output kept after a failed run");
    assertTrue(Files.readString(target.resolve("report.json")).contains("\"budget\" : 1"));
    SelectCommandIT.assertNoTemporaryLeftIn(dir);

    // Without --overwrite: refused, untouched.
    CliRunner.Result refused = CliRunner.run(dir, "select", "--input", "good.jsonl", "--output", "replace",
        "--algorithm", "dopt", "--budget", "2");
    assertEquals(2, refused.exitCode(), refused.all());
    assertTrue(Files.exists(target.resolve("old-marker.txt")));

    // With --overwrite and a good run: the whole directory is the new output.
    CliRunner.Result ok = CliRunner.run(dir, "select", "--input", "good.jsonl", "--output", "replace",
        "--algorithm", "dopt", "--budget", "2", "--overwrite");
    assertEquals(0, ok.exitCode(), ok.all());
    assertFalse(Files.exists(target.resolve("old-marker.txt")), "nothing of the old output is left");
    assertTrue(Files.readString(target.resolve("report.json")).contains("\"budget\" : 2"));
    SelectCommandIT.assertNoTemporaryLeftIn(dir);
  }
}
