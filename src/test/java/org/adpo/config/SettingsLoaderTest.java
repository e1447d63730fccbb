package org.adpo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.adpo.data.ColumnNames;
import org.adpo.error.UsageException;
import org.adpo.select.Algorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {

  @Test
  void defaultsComeFromReferenceConf() {
    SelectionSettings s = SettingsLoader.selection(SettingsLoader.load(null, Map.of()));
    assertEquals(Algorithm.ADPO_SAFE, s.algorithm());
    assertEquals(100, s.budget());
    assertEquals(1.0, s.beta());
    assertEquals(1.0, s.gamma());
    assertEquals(1.0, s.lambda());
    assertEquals(0.0, s.alpha());
    assertEquals(0, s.candidates());
    assertEquals(ColumnNames.defaults(), s.columns());
  }

  @Test
  void commandLineBeatsFileBeatsReference(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("run.conf");
    Files.writeString(f, "adpo.select { budget = 7, beta = 2.5 }\nadpo.input.columns.id = pair_id\n");
    SelectionSettings s = SettingsLoader.selection(
        SettingsLoader.load(f.toFile(), Map.of("adpo.select.budget", 9L)));
    assertEquals(9, s.budget());
    assertEquals(2.5, s.beta());
    assertEquals("pair_id", s.columns().id());
    assertEquals(1.0, s.gamma());
  }

  @Test
  void theShippedExampleIsValid() {
    File example = new File(System.getProperty("adpo.project.dir", "."), "conf/example.conf");
    SelectionSettings s = SettingsLoader.selection(SettingsLoader.load(example, Map.of()));
    assertEquals(3.0, s.alpha());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "adpo.select.budget = 0|budget must be >= 1",
      "adpo.select.beta = 0|beta must be a finite number > 0",
      "adpo.select.gamma = -1|gamma must be a finite number > 0",
      "adpo.select.lambda = 0|lambda must be a finite number > 0",
      "adpo.select.alpha = -0.5|alpha must be a finite number >= 0",
      "adpo.select.candidates = -3|candidates must be >= 0",
      "adpo.select.top-k = 0|top-k must be >= 1",
      "adpo.select.partitions = -1|partitions must be >= 0",
      "adpo.fit.tolerance = 0|fit.tolerance must be a finite number > 0",
      "adpo.select.algorithm = greedy|unknown algorithm 'greedy'",
      "adpo.select.budget = many|bad.conf: line 1: key 'adpo.select.budget' must be a number, got a string 'many'",
      "adpo.output.overwrite = maybe|key 'adpo.output.overwrite' must be a boolean",
      "adpo.evaluate.grid = 4|key 'adpo.evaluate.grid' must be a list",
      "adpo.select = 3|key 'adpo.select' must be a section",
      "adpo.select.budgett = 3|bad.conf: line 1: unknown key 'adpo.select.budgett'",
      "adpo { input.colums.id = x }|unknown key 'adpo.input.colums'",
      "spark.master = x|unknown key 'spark'",
      "include \"other.conf\"|'include \"other.conf\"' is not allowed",
      "include file(\"/etc/hostname\")|'include file(\"/etc/hostname\")' is not allowed",
      "include classpath(\"reference.conf\")|'include classpath(\"reference.conf\")' is not allowed",
      "include required(url(\"http://127.0.0.1:1/x\"))|'include url(\"http://127.0.0.1:1/x\")' is not allowed",
      "adpo.input.columns.id = \"\"|column name for 'id' must not be empty",
      "adpo.select { budget = |cannot read configuration file"})
  void badValuesAreNamed(String line, String message, @TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, line + "\n");
    UsageException e = assertThrows(UsageException.class,
        () -> SettingsLoader.selection(SettingsLoader.load(f.toFile(), Map.of())));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void acceptedValuesOfOtherSpellings(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ok.conf");
    Files.writeString(f, "adpo.select { budget = \"12\", beta = ${adpo.select.gamma} }\n"
        + "adpo.output.overwrite = yes\nadpo.evaluate.grid = [1, 2]\nadpo.select.algorithm = 3\n");
    com.typesafe.config.Config c = SettingsLoader.load(f.toFile(), Map.of());
    assertEquals(12, c.getLong("adpo.select.budget"));
    assertEquals(1.0, c.getDouble("adpo.select.beta"));
    assertTrue(c.getBoolean("adpo.output.overwrite"));
  }

  @Test
  void environmentSubstitutionsAreNotResolvedFromUserFiles(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("env.conf");
    Files.writeString(f, "adpo.input.columns.id = ${HOME}\n");
    UsageException e = assertThrows(UsageException.class,
        () -> SettingsLoader.selection(SettingsLoader.load(f.toFile(), Map.of())));
    assertTrue(e.getMessage().contains("bad configuration"), e.getMessage());
  }
}
