package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.adpo.error.UsageException;
import org.junit.jupiter.api.Test;

/**
 * The command list of {@link Main} is where help and parsing come from: no Spark, no files. Runs each
 * command line in this JVM; nothing here gets past option parsing.
 */
class CommandsTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandHasOneNameAHelpLineAndItsOwnHelp() {
    String global = run("--help").out;
    Set<String> names = new HashSet<>();
    for (Command c : Main.COMMANDS) {
      assertTrue(names.add(c.name()), "listed twice: " + c.name());
      assertTrue(global.contains("\n  " + c.name() + " ") && global.contains(c.summary().split("\n")[0]),
          c.name() + " in bin/adpo --help");
      if (c.inThisJar()) {
        assertNotNull(c.help(), c.name());
        Run help = run(c.name(), "--help");
        assertEquals(0, help.code, c.name());
        assertEquals(c.help(), help.out, c.name() + " --help prints the command's own text");
        assertTrue(help.out.startsWith("usage: bin/adpo " + c.name()), help.out);
      } else {
        assertNull(c.help(), c.name());
        Run refused = run(c.name(), "--help");
        assertEquals(2, refused.code, c.name());
        assertTrue(refused.err.startsWith("error: '" + c.name() + "' is not in this jar"), refused.err);
      }
    }
    assertEquals(2, run().code, "no command: the global help and exit 2");
  }

  @Test
  void unknownCommandNamesTheCommandsOfThisJar() {
    Run r = run("selekt");
    assertEquals(2, r.code);
    assertEquals("error: unknown command 'selekt'; commands: select, evaluate, split, experiment, make-pool,"
        + " make-synthetic, online (see bin/adpo --help)\n", r.err);
  }

  @Test
  void parseOnlyTakesEachOnlineStepsTableAndSetsNoSparkConf() {
    String key = "spark.adpo.test.commands-test";
    Map<String, String> given = Main.parseOnly(new String[] {"--conf", key + "=1", "online", "next", "--state", "s",
        "--batch", "5"});
    assertEquals(Map.of("state", "s", "batch", "5"), given);
    assertNull(System.getProperty(key), "a parse-only check sets no system property");
    UsageException wrongStep = assertThrows(UsageException.class,
        () -> Main.parseOnly(new String[] {"online", "next", "--labels", "x"}));
    assertEquals("unknown option --labels for 'online next'; see 'bin/adpo online next --help'",
        wrongStep.getMessage());
    UsageException noStep = assertThrows(UsageException.class, () -> Main.parseOnly(new String[] {"online"}));
    assertTrue(noStep.getMessage().startsWith("'online' needs a step"), noStep.getMessage());
    UsageException help = assertThrows(UsageException.class,
        () -> Main.parseOnly(new String[] {"select", "--help"}));
    assertTrue(help.getMessage().endsWith("does not reach option parsing (exit 0)"), help.getMessage());
  }
}
