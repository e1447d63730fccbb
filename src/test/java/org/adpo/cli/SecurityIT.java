package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security basics of docs/security.md, end to end through {@code bin/adpo}: configuration
 * files cannot include anything (and make no network attempt), values in pool rows are plain data
 * (never expanded, never opened), and pool text never reaches stdout, stderr, logs or reports,
 * on the success paths and on the error paths (including Spark's own failed-task logging).
 */
@Tag(DefaultLineOnly.TAG)
class SecurityIT {
  /** Stands for offensive text in a pass-through column: it must never be printed. */
  static final String MARKER = "QZX-unprintable-5e1f";

  @TempDir static Path dir;
  static Path bait;
  static final List<String> INPUTS = new ArrayList<>();

  static void write(String name, List<String> lines) throws Exception {
    Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    INPUTS.add(name);
  }

  @BeforeAll
  static void pools() throws Exception {
    // A FIFO: opening it for reading blocks until a writer comes, so a test thread that waits to
    // write into it learns whether anything ever opened it.
    bait = dir.resolve("bait.fifo");
    Process mk = new ProcessBuilder("mkfifo", bait.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor(), "mkfifo is needed for this test");
    String[] pathLike = {"~/bait.fifo", "$ADPO_BAIT", "${ADPO_BAIT}", bait.toString(), "file://" + bait,
        "../bait.fifo", "%s%n"};
    List<String> good = new ArrayList<>();
    List<String> csv = new ArrayList<>(List.of("id,phi,s,text"));
    for (int i = 0; i < 40; i++) {
      double a = Math.sin(i + 1.0);
      double b = Math.cos(2.0 * i + 0.5);
      int s = (i * 7 + 3) % 5 < 3 ? 1 : 0;
      good.add(String.format(Locale.ROOT,
          "{\"id\":%d,\"phi\":[%.6f,%.6f,%.6f],\"s\":%d,\"text\":\"%s row %d\",\"path\":\"%s\"}",
          i + 1, a, b, a * b, s, MARKER, i, pathLike[i % pathLike.length]));
      csv.add(String.format(Locale.ROOT, "%d,%.6f;%.6f,%d,%s row %d", i + 1, a, b, s, MARKER, i));
    }
    write("pool.jsonl", good);
    List<String> nan = new ArrayList<>(csv);
    nan.set(5, "5,NaN;1.0,1," + MARKER + " bad row");
    write("nan.csv", nan);
    List<String> extra = new ArrayList<>(csv);
    extra.set(8, "8,1.0;1.0,1," + MARKER + " bad row," + MARKER + " extra field");
    write("malformed.csv", extra);
    List<String> label = new ArrayList<>(good);
    label.set(3, "{\"id\":4,\"phi\":[1,2,3],\"s\":7,\"text\":\"" + MARKER + " bad label\"}");
    write("label.jsonl", label);
    List<String> broken = new ArrayList<>(good);
    broken.set(10, "{\"id\":11,\"phi\":[1,2,3],\"s\":1,\"text\":\"" + MARKER + " unterminated");
    write("malformed.jsonl", broken);
    List<String> phiText = new ArrayList<>(good);
    phiText.set(2, "{\"id\":3,\"phi\":\"" + MARKER + "\",\"s\":1,\"text\":\"" + MARKER + "\"}");
    write("phi-text.jsonl", phiText);
    List<String> dup = new ArrayList<>(good);
    dup.set(6, dup.get(7).replace("row 7", "duplicate"));
    write("dup.jsonl", dup);
  }

  static void assertNotPrinted(CliRunner.Result r, String what) {
    assertFalse(r.stdout().contains(MARKER), what + ": pool text on stdout:\n" + r.stdout());
    assertFalse(r.stderr().contains(MARKER), what + ": pool text on stderr:\n" + r.stderr());
  }

  @Test
  void poolTextIsNeverPrintedAndPathLikeValuesAreNeverOpened() throws Exception {
    AtomicBoolean ourRead = new AtomicBoolean(false);
    AtomicBoolean openedByOthers = new AtomicBoolean(false);
    Thread writer = new Thread(() -> {
      try (OutputStream os = new FileOutputStream(bait.toFile())) { // blocks until someone reads
        if (!ourRead.get()) {
          openedByOthers.set(true);
        }
        os.write(1);
      } catch (Exception e) {
        // the reader went away: nothing to record beyond the flag
      }
    });
    writer.setDaemon(true);
    writer.start();
    Map<String, String> env = Map.of("HOME", dir.toString(), "ADPO_BAIT", bait.toString());

    CliRunner.Result sel = CliRunner.run(dir, env, "select", "--input", "pool.jsonl", "--output", "sel",
        "--algorithm", "adpo-plus", "--budget", "40", "--output-format", "jsonl");
    assertEquals(0, sel.exitCode(), sel.all());
    assertNotPrinted(sel, "select");
    String picked = readAll(dir.resolve("sel/selection"));
    assertTrue(picked.contains(MARKER), "the text column passes through to the selection");
    for (String v : new String[] {"~/bait.fifo", "$ADPO_BAIT", "${ADPO_BAIT}", "file://" + bait, "../bait.fifo",
        "%s%n"}) {
      assertTrue(picked.contains("\"path\":\"" + v + "\""), "value kept verbatim: " + v + " in " + picked);
    }
    assertFalse(Files.readString(dir.resolve("sel/report.json")).contains(MARKER), "report.json holds no pool text");

    CliRunner.Result eval = CliRunner.run(dir, env, "evaluate", "--pool", "pool.jsonl", "--selection", "sel",
        "--output", "eval", "--grid", "4,40");
    assertEquals(0, eval.exitCode(), eval.all());
    assertNotPrinted(eval, "evaluate");
    assertFalse(readAll(dir.resolve("eval")).contains(MARKER), "evaluation outputs hold no pool text");

    String[][] failing = {
        {"select", "--input", "nan.csv", "--output", "out", "--algorithm", "dopt", "--budget", "2"},
        {"select", "--input", "malformed.csv", "--output", "out", "--algorithm", "dopt", "--budget", "2"},
        {"select", "--input", "malformed.jsonl", "--output", "out", "--algorithm", "dopt", "--budget", "2"},
        {"select", "--input", "phi-text.jsonl", "--output", "out", "--algorithm", "dopt", "--budget", "2"},
        {"select", "--input", "label.jsonl", "--output", "out", "--algorithm", "adpo-plus", "--budget", "2"},
        {"select", "--input", "dup.jsonl", "--output", "out", "--algorithm", "dopt", "--budget", "2"},
        {"evaluate", "--pool", "label.jsonl", "--selection", "sel", "--output", "out"},
        {"evaluate", "--pool", "malformed.jsonl", "--selection", "sel", "--output", "out"}};
    // The failing runs are independent: three at a time, each with its own output name.
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    List<java.util.concurrent.Future<CliRunner.Result>> results = new ArrayList<>();
    for (int i = 0; i < failing.length; i++) {
      String[] args = failing[i].clone();
      args[java.util.Arrays.asList(args).indexOf("--output") + 1] = "out-" + i;
      failing[i] = args;
      results.add(pool.submit(() -> CliRunner.run(dir, env, args)));
    }
    pool.shutdown();
    for (int i = 0; i < failing.length; i++) {
      String[] args = failing[i];
      CliRunner.Result r = results.get(i).get();
      String what = String.join(" ", args);
      assertNotEquals(0, r.exitCode(), what + "\n" + r.all());
      assertTrue(r.stderr().contains("error: "), what + "\n" + r.all());
      assertNotPrinted(r, what);
      assertFalse(Files.exists(dir.resolve("out-" + i)), what + ": no output");
    }

    // No file other than the inputs and the selection's rows holds the text: no log file, no report,
    // no temporary file left in the working directory.
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(f).toString();
        if (INPUTS.contains(rel) || rel.startsWith("sel/selection/")) {
          continue;
        }
        assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(MARKER), "pool text written to " + rel);
      }
    }

    ourRead.set(true);
    try (FileInputStream in = new FileInputStream(bait.toFile())) { // lets the writer finish
      in.read();
    }
    writer.join(10_000);
    assertFalse(openedByOthers.get(), "a path-like pool value was opened by bin/adpo");
  }

  @Test
  void configurationIncludesAreRefusedWithoutAnyNetworkAttempt() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      Files.writeString(dir.resolve("other.conf"), "adpo.select.budget = 5\n");
      String[] includes = {
          "include url(\"http://127.0.0.1:" + port + "/adpo.conf\")",
          "include \"http://127.0.0.1:" + port + "/adpo.conf\"",
          "include file(\"" + dir.resolve("other.conf") + "\")",
          "include \"other.conf\"",
          "include required(classpath(\"reference.conf\"))",
          "adpo { include url(\"http://127.0.0.1:" + port + "/nested.conf\") }"};
      for (int i = 0; i < includes.length; i++) {
        String name = "include-" + i + ".conf";
        Files.writeString(dir.resolve(name), includes[i] + "\nadpo.select.budget = 3\n");
        CliRunner.Result r = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", "out",
            "--algorithm", "dopt", "--config", name);
        assertEquals(2, r.exitCode(), includes[i] + "\n" + r.all());
        assertTrue(r.stderr().startsWith("error: configuration file " + name + ": 'include ")
                || r.stderr().contains("\nerror: configuration file " + name + ": 'include "),
            includes[i] + "\n" + r.stderr());
        assertTrue(r.stderr().contains("is not allowed"), r.stderr());
        assertFalse(Files.exists(dir.resolve("out")));
      }
      server.setSoTimeout(500);
      try (Socket s = server.accept()) {
        throw new AssertionError("bin/adpo connected to the URL of an include (from " + s.getRemoteSocketAddress() + ")");
      } catch (SocketTimeoutException expected) {
        // no connection was made
      }
    }
  }

  @Test
  void environmentAndSystemPropertiesAreNotSubstitutedFromConfigurationFiles() throws Exception {
    for (String line : new String[] {"adpo.input.columns.id = ${ADPO_SECRET}", "adpo.input.columns.id = ${user.home}"}) {
      Files.writeString(dir.resolve("subst.conf"), line + "\n");
      CliRunner.Result r = CliRunner.run(dir, Map.of("ADPO_SECRET", "id"), "select", "--input", "pool.jsonl",
          "--output", "out", "--algorithm", "dopt", "--config", "subst.conf");
      assertEquals(2, r.exitCode(), line + "\n" + r.all());
      assertTrue(r.stderr().contains("Could not resolve substitution"), r.stderr());
      assertFalse(Files.exists(dir.resolve("out")));
    }
  }

  static String readAll(Path root) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        sb.append(Files.readString(f, StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return sb.toString();
  }

}
