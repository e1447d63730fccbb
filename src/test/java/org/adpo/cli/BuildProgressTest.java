package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first-use build of {@code bin/adpo} is not silent: {@code build} (bin/lib/build.sh, which
 * bin/adpo sources) says every 10 s that it is still building and the Maven step it has reached, keeps
 * the build's own output in its log, and returns the build's exit code. Run with a stand-in for Maven
 * that prints Maven's progress lines, so the test takes seconds instead of a whole build.
 */
class BuildProgressTest {
  @TempDir Path dir;

  private record Run(int code, List<String> stderr, String log) {}

  private Run build(String script) throws Exception {
    Path log = dir.resolve("build.log");
    Path err = dir.resolve("stderr.txt");
    Path lib = CliRunner.projectDir().resolve("bin/lib/build.sh");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", ". \"$1\"; build \"$2\" sh -c \"$3\"", "bash",
        lib.toString(), log.toString(), script).redirectError(err.toFile()).redirectOutput(dir.resolve("out").toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(1, TimeUnit.MINUTES));
    return new Run(p.exitValue(), Files.readAllLines(err, StandardCharsets.UTF_8),
        Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void aLongBuildSaysEveryTenSecondsWhereMavenIsAndKeepsItsExitCode() throws Exception {
    Run r = build("echo '[INFO] Building adpo-spark 0.1.0'; echo '[INFO] --- maven-compiler-plugin:3.13.0:compile"
        + " (default-compile) @ adpo-spark ---'; echo '[INFO] some detail'; sleep 11.5; echo done; exit 3");
    assertEquals(3, r.code(), "the build's exit code");
    assertEquals(List.of("adpo: still building (10 s; Maven at: --- maven-compiler-plugin:3.13.0:compile"
        + " (default-compile) @ adpo-spark ---)"), r.stderr());
    assertTrue(r.log().contains("[INFO] some detail") && r.log().endsWith("done\n"), r.log());
  }

  @Test
  void aShortBuildPrintsNothing() throws Exception {
    Run r = build("echo '[INFO] Building adpo-spark 0.1.0'");
    assertEquals(0, r.code());
    assertEquals(List.of(), r.stderr());
  }
}
