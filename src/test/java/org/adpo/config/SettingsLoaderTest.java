package org.adpo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    assertEquals(Algorithm.ADPO_PLUS, s.algorithm());
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
      "adpo.select.budget = many|bad configuration",
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
  void environmentSubstitutionsAreNotResolvedFromUserFiles(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("env.conf");
    Files.writeString(f, "adpo.input.columns.id = ${HOME}\n");
    UsageException e = assertThrows(UsageException.class,
        () -> SettingsLoader.selection(SettingsLoader.load(f.toFile(), Map.of())));
    assertTrue(e.getMessage().contains("bad configuration"), e.getMessage());
  }
}
