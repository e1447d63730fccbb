package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-loss rules of docs/errors.md ("Outputs") with real concurrent and killed writers, through
 * {@code bin/adpo}: a second writer on a busy output fails at once, a terminated writer deletes what
 * it started, a {@code kill -9}'s leftovers are cleaned up (and an old output it had moved aside is put
 * back) by the next command on that output, and an online state's pool is never an output.
 */
@Tag(DefaultLineOnly.TAG)
class OutputSafetyIT {
  @TempDir static Path dir;

  @BeforeAll
  static void pool() throws Exception {
    // A pool large enough that a selection runs for several seconds after it has claimed its output.
    List<String> lines = new ArrayList<>();
    java.util.Random rnd = new java.util.Random(7);
    for (int i = 0; i < 3000; i++) {
      StringBuilder phi = new StringBuilder();
      for (int j = 0; j < 32; j++) {
        phi.append(j == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.4f", rnd.nextGaussian()));
      }
      lines.add("{\"id\":" + i + ",\"phi\":[" + phi + "],\"s\":" + (rnd.nextBoolean() ? 1 : 0) + "}");
    }
    Files.write(dir.resolve("pool.jsonl"), lines, StandardCharsets.UTF_8);
  }

  private static Process start(Path out, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(CliRunner.projectDir().resolve("bin/adpo").toString(), "select",
        "--input", "pool.jsonl", "--output", out.toString(), "--algorithm", "adpo-plus", "--budget", "600"));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("ADPO_JAVA_OPTS", "-Xmx1g");
    pb.redirectOutput(dir.resolve(out.getFileName() + ".stdout").toFile());
    pb.redirectError(dir.resolve(out.getFileName() + ".stderr").toFile());
    return pb.start();
  }

  /** Waits until the writer holds its claim (the lock file exists beside the output). */
  private static void awaitClaim(Process p, Path out) throws Exception {
    Path lock = out.resolveSibling("." + out.getFileName() + ".lock");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!Files.exists(lock)) {
      assertTrue(p.isAlive(), "the writer ended before it claimed its output: " + stderr(out));
      assertTrue(System.nanoTime() < deadline, "no claim within 2 minutes");
      Thread.sleep(20);
    }
  }

  private static String stderr(Path out) throws Exception {
    return Files.readString(dir.resolve(out.getFileName() + ".stderr"), StandardCharsets.UTF_8);
  }

  private static List<String> hiddenSiblings(Path out) throws Exception {
    try (Stream<Path> s = Files.list(out.getParent())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + out.getFileName() + "."))
          .sorted().toList();
    }
  }

  @Test
  void aSecondWriterOnABusyOutputFailsAtOnceAndTheFirstCompletes() throws Exception {
    Path out = dir.resolve("busy");
    Process first = start(out);
    awaitClaim(first, out);
    CliRunner.Result second = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", out.toString(),
        "--algorithm", "dopt", "--budget", "5", "--overwrite");
    assertEquals(2, second.exitCode(), second.all());
    assertTrue(second.stderr().lines().findFirst().orElse("")
            .startsWith("error: output " + out + " is being written by another adpo command now"),
        second.stderr());
    assertTrue(first.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, first.exitValue(), stderr(out));
    assertTrue(Files.readString(out.resolve("report.json")).contains("\"budget\" : 600"), "the first run's output");
    assertTrue(Files.exists(out.resolve("_adpo_output.json")));
    assertEquals(List.of(), hiddenSiblings(out));
  }

  @Test
  void sigtermDeletesWhatTheRunStartedAndSaysSoInOneLine() throws Exception {
    Path out = dir.resolve("terminated");
    Process p = start(out);
    awaitClaim(p, out);
    Thread.sleep(3000); // into the work: Spark is up, the pool is being read or selected
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the run ends after SIGTERM");
    String err = stderr(out);
    assertEquals(143, p.exitValue(), err);
    List<String> errors = err.lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(List.of("error: terminated by SIGTERM; nothing was written (a half-written output is deleted)"),
        errors, err);
    assertFalse(err.contains("\tat "), "no stack trace: " + err);
    assertFalse(Files.exists(out));
    // Only the progress record of the rounds may stay (it is what a rerun continues from).
    assertEquals(List.of(), hiddenSiblings(out).stream().filter(n -> !n.equals(".terminated.progress")).toList());
  }

  @Test
  void theNextCommandCleansUpAfterKillMinus9() throws Exception {
    Path out = dir.resolve("killed");
    Process p = start(out);
    awaitClaim(p, out);
    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly); // the JVM under bin/adpo: kill -9
    p.destroyForcibly();
    p.waitFor(1, TimeUnit.MINUTES);
    // A kill -9 between the two renames of --overwrite: an old output moved aside, the new one not
    // yet in place. Made by hand here, with a half-written new output beside it.
    Path aside = out.resolveSibling("." + out.getFileName() + ".tmp-old-0000");
    Files.createDirectories(aside);
    Files.writeString(aside.resolve("_adpo_output.json"), "{\"tool\":\"adpo-spark\",\"command\":\"select\"}");
    Files.writeString(aside.resolve("report.json"), "{ \"from\" : \"the old output\" }");
    Files.createDirectories(out.resolveSibling("." + out.getFileName() + ".tmp-1111"));
    assertFalse(Files.exists(out));

    // The next command on the output puts the old one back first: without --overwrite it is refused.
    CliRunner.Result again = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", out.toString(),
        "--algorithm", "dopt", "--budget", "5");
    assertEquals(2, again.exitCode(), again.all());
    assertTrue(again.stderr().contains("output directory already exists"), again.stderr());
    assertTrue(Files.readString(out.resolve("report.json")).contains("the old output"), "old output restored");
    assertEquals(List.of(), hiddenSiblings(out), "leftovers of the killed run deleted");

    CliRunner.Result replace = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", out.toString(),
        "--algorithm", "dopt", "--budget", "5", "--overwrite");
    assertEquals(0, replace.exitCode(), replace.all());
    assertTrue(Files.readString(out.resolve("report.json")).contains("\"budget\" : 5"));
    assertEquals(List.of(), hiddenSiblings(out));
  }

  /** The selection's rows as written (JSON Lines part files in name order), rank order. */
  private static String selectionText(Path out) throws Exception {
    try (Stream<Path> s = Files.list(out.resolve("selection"))) {
      StringBuilder b = new StringBuilder();
      for (Path p : s.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
        b.append(Files.readString(p, StandardCharsets.UTF_8));
      }
      return b.toString();
    }
  }

  @Test
  void aSelectionKilledMidRoundsResumesOnRerunToTheUninterruptedOutput() throws Exception {
    // At most 2 picks per round and a record every 0.5 s: a run of a few hundred rounds, recorded often.
    // Its rounds run as Spark jobs (tens of ms each), so that the kill lands mid-rounds; the driver rounds
    // would make all 300 in well under a second. The rerun below resumes with the default (driver) rounds.
    String slow = "-Xmx1g -Dadpo.select.max-picks-per-round=2 -Dadpo.select.progress-interval-s=0.5"
        + " -Dadpo.select.rounds=executors";
    Path out = dir.resolve("resumed");
    Path record = out.resolveSibling(".resumed.progress").resolve("progress.json");
    List<String> cmd = new ArrayList<>(List.of(CliRunner.projectDir().resolve("bin/adpo").toString(), "select",
        "--input", "pool.jsonl", "--output", out.toString(), "--algorithm", "adpo-plus", "--budget", "600",
        "--output-format", "jsonl"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("ADPO_JAVA_OPTS", slow);
    pb.redirectOutput(dir.resolve("resumed.stdout").toFile());
    pb.redirectError(dir.resolve("resumed.stderr").toFile());
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!Files.exists(record) || Files.readString(record).split("\"rank\"").length < 2) {
      assertTrue(p.isAlive(), "the run ended before it recorded progress: " + stderr(out));
      assertTrue(System.nanoTime() < deadline, "no progress record within 2 minutes");
      Thread.sleep(20);
    }
    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly); // kill -9 mid-rounds
    p.destroyForcibly();
    p.waitFor(1, TimeUnit.MINUTES);
    assertFalse(Files.exists(out), "the killed run wrote no output");
    assertTrue(Files.exists(record), "its progress survives the kill");
    // A copy of the killed run's record beside the output of a run with other settings (below).
    Path cleanOut = dir.resolve("uninterrupted");
    Path staleRecord = cleanOut.resolveSibling(".uninterrupted.progress").resolve("progress.json");
    Files.createDirectories(staleRecord.getParent());
    Files.copy(record, staleRecord);

    // The same command again (at the usual round sizes: how many picks a round makes changes no pick).
    CliRunner.Result again = CliRunner.run(dir, cmd.subList(1, cmd.size()).toArray(new String[0]));
    assertEquals(0, again.exitCode(), again.all());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("resumed from pick (\\d+) of 600 ").matcher(again.stderr());
    assertTrue(m.find(), again.stderr());
    int k = Integer.parseInt(m.group(1));
    assertTrue(k > 0 && k < 600, "resumed mid-rounds: " + k);
    assertEquals(1, again.stderr().split("resumed from pick", -1).length - 1, "one line says so");
    assertEquals(List.of(), hiddenSiblings(out), "a completed run deletes its progress (and leaves nothing else)");

    // Other settings (a checkpoint interval, which changes no pick) on an output with that record beside
    // it: the record is discarded with one line, the run starts over, and it is the uninterrupted selection.
    CliRunner.Result clean = CliRunner.run(dir, "select", "--input", "pool.jsonl", "--output", cleanOut.toString(),
        "--algorithm", "adpo-plus", "--budget", "600", "--output-format", "jsonl", "--checkpoint-every", "7");
    assertEquals(0, clean.exitCode(), clean.all());
    List<String> discarded = clean.stderr().lines().filter(l -> l.contains("discarding the progress")).toList();
    assertEquals(1, discarded.size(), clean.stderr());
    assertTrue(discarded.get(0).endsWith("discarding the progress recorded in " + staleRecord.getParent()
        + ": its settings differ (checkpoint_every: 16 then, 7 now); starting over"), discarded.get(0));
    assertFalse(clean.stderr().contains("resumed from"), clean.stderr());
    assertEquals(List.of(), hiddenSiblings(cleanOut));
    assertEquals(selectionText(cleanOut), selectionText(out),
        "the resumed selection is the uninterrupted one, row for row (ids, ranks, gains, weights)");
  }

  /**
   * Runs {@code bin/adpo select} (a selection of 400 of the pool's rows) with its output under a small
   * tmpfs mounted in a private mount namespace ({@code unshare -m}; {@code -r} as well when not root),
   * so a real file system fills up or refuses writes without touching the machine's. Needs util-linux's
   * unshare and mount namespaces (Debian's kernel allows them to root and, by default, to users).
   */
  private static CliRunner.Result onTmpfs(String mountOptions, Path mountPoint) throws Exception {
    Files.createDirectories(mountPoint);
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> cmd = new ArrayList<>(List.of("unshare"));
    if (!root) {
      cmd.add("-r");
    }
    cmd.addAll(List.of("-m", "sh", "-c", "mount -t tmpfs -o " + mountOptions + " tmpfs \"$1\" && \"$2\" select --input"
        + " pool.jsonl --output \"$1\"/out --budget 400; code=$?; ls -A \"$1\" > \"$1.left\"; exit $code", "sh",
        mountPoint.toString(), CliRunner.projectDir().resolve("bin/adpo").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("ADPO_JAVA_OPTS", "-Xmx1g");
    Path o = dir.resolve(mountPoint.getFileName() + ".stdout");
    Path e = dir.resolve(mountPoint.getFileName() + ".stderr");
    pb.redirectOutput(o.toFile()).redirectError(e.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the run ends");
    return new CliRunner.Result(p.exitValue(), Files.readString(o, StandardCharsets.UTF_8),
        Files.readString(e, StandardCharsets.UTF_8));
  }

  @Test
  void aFullDiskAndAReadOnlyDirectoryAreOneLineAndLeaveNothing() throws Exception {
    // Full: 24 KiB hold the lock but not the selection's Parquet files. The error comes after the
    // selection (only the write can find out), as one line, exit 1, and nothing stays on the device.
    Path full = dir.resolve("full");
    CliRunner.Result r = onTmpfs("size=24k", full);
    List<String> errors = r.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(List.of("error: cannot write output " + full + "/out: no space left on the device of " + full
        + "; nothing was written (free space there or choose another --output)"), errors, r.stderr());
    assertEquals(1, r.exitCode(), r.stderr());
    assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
    assertEquals("", Files.readString(dir.resolve("full.left")).trim(), "left on the full device");

    // Read-only: refused at the claim, before Spark starts, exit 2.
    Path ro = dir.resolve("readonly");
    r = onTmpfs("ro,size=24k", ro);
    errors = r.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(List.of("error: cannot write output " + ro + "/out: " + ro + "/.out.lock: Read-only file system"),
        errors, r.stderr());
    assertEquals(2, r.exitCode(), r.stderr());
    assertEquals(List.of("error"), r.stderr().lines().map(l -> l.split(":")[0]).toList(), "only the error line");
  }

  @Test
  void anOnlineStateAndItsExportNeverOverlapThePool() throws Exception {
    Path poolDir = Files.createDirectories(dir.resolve("pool-dir"));
    Files.copy(dir.resolve("pool.jsonl"), poolDir.resolve("part-0.jsonl"));
    CliRunner.Result inside = CliRunner.run(dir, "online", "init", "--pool", poolDir.toString(), "--state",
        poolDir.resolve("state").toString(), "--budget", "10");
    assertEquals(2, inside.exitCode(), inside.all());
    assertTrue(inside.stderr().contains("--state " + poolDir.resolve("state") + " lies inside the input"),
        inside.stderr());
    assertFalse(Files.exists(poolDir.resolve("state")));

    Path state = dir.resolve("state");
    CliRunner.Result init = CliRunner.run(dir, "online", "init", "--pool", poolDir.toString(), "--state",
        state.toString(), "--budget", "10");
    assertEquals(0, init.exitCode(), init.all());
    CliRunner.Result export = CliRunner.run(dir, "online", "export", "--state", state.toString(), "--output",
        poolDir.resolve("export").toString());
    assertEquals(2, export.exitCode(), export.all());
    assertTrue(export.stderr().contains("lies inside the input"), export.stderr());
    CliRunner.Result intoState = CliRunner.run(dir, "online", "export", "--state", state.toString(), "--output",
        state.toString(), "--overwrite");
    assertEquals(2, intoState.exitCode(), intoState.all());
    assertTrue(intoState.stderr().contains("is the input"), intoState.stderr());
    CliRunner.Result status = CliRunner.run(dir, "online", "status", "--state", state.toString());
    assertEquals(0, status.exitCode(), "the state still works: " + status.all());
  }

  @Test
  void aCsvSelectionWithQuotesBackslashesAndLineBreaksReadsBackAsAPool() throws Exception {
    String note = "a, \\\"quoted\\\" one\\nsecond line, C:\\\\dir\\\\";
    Files.write(dir.resolve("texts.jsonl"), List.of(
        "{\"id\":1,\"phi\":[1.0,0.0],\"note\":\"" + note + "\"}",
        "{\"id\":2,\"phi\":[0.0,1.0],\"note\":\"plain\"}",
        "{\"id\":3,\"phi\":[1.0,1.0],\"note\":\"\"}"), StandardCharsets.UTF_8);
    CliRunner.Result csv = CliRunner.run(dir, "select", "--input", "texts.jsonl", "--output", "texts-csv",
        "--algorithm", "dopt", "--budget", "3", "--output-format", "csv");
    assertEquals(0, csv.exitCode(), csv.all());
    CliRunner.Result back = CliRunner.run(dir, "select", "--input", "texts-csv/selection", "--format", "csv",
        "--output", "texts-again", "--algorithm", "dopt", "--budget", "3", "--output-format", "jsonl");
    assertEquals(0, back.exitCode(), back.all());
    String rows;
    try (Stream<Path> s = Files.list(dir.resolve("texts-again/selection"))) {
      Path part = s.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
      rows = Files.readString(part, StandardCharsets.UTF_8);
    }
    // The text came through CSV and back unchanged: quotes, the comma, the line break, the backslashes.
    assertTrue(rows.contains("\"note\":\"a, \\\"quoted\\\" one\\nsecond line, C:\\\\dir\\\\\""), rows);
  }
}
