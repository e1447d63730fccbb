package org.adpo.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.adpo.data.InputErrors;
import org.adpo.data.PoolReader;
import org.adpo.error.AdpoException;
import org.adpo.error.UsageException;

/**
 * Entry point of {@code bin/adpo} and of {@code spark-submit --class org.adpo.cli.Main}. Exit codes:
 * 0 success, 2 usage or configuration error, 3 bad input data, 1 anything else.
 */
public final class Main {
  private Main() {}

  /** The signal that is ending the process (SIGTERM, SIGINT), or null. */
  private static volatile String terminatedBy;

  public static void main(String[] args) {
    if (!org.adpo.spark.SparkSessions.hostManagedDriver()) {
      onSignal("TERM");
      onSignal("INT");
    }
    int code = run(args, System.out, System.err);
    if (org.adpo.spark.SparkSessions.hostManagedDriver()) {
      // A Databricks JAR task: no System.exit; a failure is an exception, which fails the task.
      if (code != 0) {
        throw new IllegalStateException("adpo " + (args.length > 0 ? args[0] : "") + " failed with exit code " + code
            + " (the message is above)");
      }
      return;
    }
    System.exit(code);
  }

  /**
   * A termination signal prints one line and exits with 128 + the signal's number (143 for SIGTERM)
   * through the JVM's shutdown hooks, which delete a half-written output (io.OutputTarget) and stop
   * Spark. The command's own thread then fails against a stopped Spark; {@link #run} prints nothing
   * for it.
   */
  private static void onSignal(String name) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
        if (terminatedBy != null) {
          return;
        }
        terminatedBy = "SIG" + sig.getName();
        System.err.println("error: terminated by " + terminatedBy + "; nothing was written (a half-written output"
            + " is deleted)");
        System.err.flush();
        // What fails from here on (a Spark context stopped or refused mid-start) is this signal's
        // consequence: Spark's own error logs and traces are silenced.
        try {
          org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.OFF);
          org.apache.logging.log4j.core.config.Configurator.setAllLevels("org", org.apache.logging.log4j.Level.OFF);
        } catch (LinkageError noLog4jCore) {
          // another logging back end: its lines stay
        }
        // Threads interrupted by the shutdown (Spark's block manager, for one) die with an uncaught
        // exception whose trace the JVM prints to System.err: after the one line, stderr stays quiet.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> { });
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        System.exit(128 + sig.getNumber());
      });
    } catch (IllegalArgumentException | UnsupportedOperationException ignored) {
      // the JVM reserves or does not know the signal: its default handling stays
    }
  }

  /**
   * The commands of {@code bin/adpo}, in the order {@code bin/adpo --help} lists them: the one place that
   * lists them. Help, the parse-only check and the run all go through these objects.
   */
  static final List<Command> COMMANDS = List.of(new SelectCommand(), new EvaluateCommand(), new SplitCommand(),
      new ExperimentCommand(), new MakePoolCommand(), new MakeSyntheticCommand(), new OnlineCommand(),
      new Elsewhere("embed", "text preference pairs (JSON Lines) to a pool with all-MiniLM-L6-v2 (the embed/ build:\n"
          + "bin/adpo embed, or adpo-spark-embed.jar with --class org.adpo.embed.EmbedMain)",
          "'embed' is not in this jar: it runs from the embed build (embed/), with 'bin/adpo embed'"
          + " or 'spark-submit --class org.adpo.embed.EmbedMain adpo-spark-embed.jar embed ...'"));

  /**
   * A command of another build: listed in the help, refused here with a message saying where it is,
   * whatever its options ({@code --help} included).
   */
  private static final class Elsewhere extends Command {
    private final String refusal;

    Elsewhere(String name, String summary, String refusal) {
      super(name, summary, null);
      this.refusal = refusal;
    }

    @Override
    boolean inThisJar() {
      return false;
    }

    @Override
    Table table(String[] args) {
      throw new UsageException(refusal);
    }

    @Override
    int run(String[] args, Options options, PrintStream out) {
      throw new IllegalStateException(refusal); // table() refuses every command line
    }
  }

  /** The command named {@code name}, or a UsageException naming the commands of this jar. */
  static Command command(String name) {
    for (Command c : COMMANDS) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Command c : COMMANDS) {
      if (c.inThisJar()) {
        known.append(known.length() == 0 ? "" : ", ").append(c.name());
      }
    }
    throw new UsageException("unknown command '" + name + "'; commands: " + known + " (see bin/adpo --help)");
  }

  /** True when {@code args} asks for help ({@code bin/adpo}, {@code --help}, {@code -h}, {@code help}). */
  private static boolean globalHelp(String[] args) {
    return args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help");
  }

  /** True when a command line asks for its command's help: it has one and {@code --help} is among the words. */
  private static boolean commandHelp(Command c, String[] args) {
    return c.help() != null && Arrays.asList(args).contains("--help");
  }

  /**
   * Checks a command line with the real option tables of its command without running it (no Spark, no
   * files, no system property set by {@code --conf}): the command and subcommand must exist, every
   * option must be one the command declares, with a value of the right type, given once. Returns the
   * options as given (name to value); throws {@link UsageException} with the CLI's message otherwise.
   * Used to check the command lines of deployment files (Airflow, Databricks) against this build.
   */
  public static Map<String, String> parseOnly(String[] args) {
    String[] rest = splitConf(args).rest();
    if (globalHelp(rest)) {
      throw notParsed(args, rest.length == 0 ? 2 : 0);
    }
    Command c = command(rest[0]);
    if (commandHelp(c, rest)) {
      throw notParsed(args, 0);
    }
    return c.options(rest).given();
  }

  private static UsageException notParsed(String[] args, int code) {
    return new UsageException("the command line " + Arrays.toString(args) + " does not reach option parsing (exit "
        + code + ")");
  }

  /** Runs a command and returns its exit code (for tests and embedding). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      args = sparkConf(args);
      if (globalHelp(args)) {
        out.print(HelpText.global(COMMANDS));
        return args.length == 0 ? 2 : 0;
      }
      Command command = command(args[0]);
      if (commandHelp(command, args)) {
        out.print(command.help());
        return 0;
      }
      return command.run(args, command.options(args), out);
    } catch (AdpoException e) {
      if (terminating()) {
        return 1;
      }
      err.println("error: " + e.getMessage());
      return e.exitCode();
    } catch (Throwable e) {
      if (terminating()) {
        return 1;
      }
      if (InputErrors.quotesData(e)) {
        // A parser's message quotes the record it failed on: print where, never what (docs/security.md).
        err.println("error: unexpected failure: " + e.getClass().getName()
            + " while parsing input data (messages are not printed: they quote pool rows)");
        printFramesOnly(e, err);
      } else {
        err.println("error: unexpected failure: " + PoolReader.rootMessage(e));
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /**
   * Takes every {@code --conf spark.KEY=VALUE} out of the command line and sets it as a system property,
   * where the session the command creates reads it (as spark-submit does); the rest is the command's.
   * A session that already runs (a notebook's) keeps its own settings.
   */
  static String[] sparkConf(String[] args) {
    SparkConfArgs split = splitConf(args);
    split.conf().forEach(System::setProperty);
    return split.rest();
  }

  /** A command line's {@code --conf spark.KEY=VALUE} settings, in order, and the rest of its words. */
  record SparkConfArgs(String[] rest, Map<String, String> conf) {}

  /** Takes every {@code --conf spark.KEY=VALUE} out of {@code args}; sets nothing. */
  static SparkConfArgs splitConf(String[] args) {
    java.util.List<String> rest = new java.util.ArrayList<>();
    java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String kv;
      if (args[i].equals("--conf")) {
        if (i + 1 >= args.length) {
          throw new org.adpo.error.UsageException("option --conf needs a value spark.KEY=VALUE");
        }
        kv = args[++i];
      } else if (args[i].startsWith("--conf=")) {
        kv = args[i].substring("--conf=".length());
      } else {
        rest.add(args[i]);
        continue;
      }
      int eq = kv.indexOf('=');
      if (eq <= 0 || !kv.startsWith("spark.")) {
        throw new org.adpo.error.UsageException("--conf expects spark.KEY=VALUE, got '"
            + org.adpo.error.Shown.value(kv) + "'");
      }
      if (conf.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
        throw new org.adpo.error.UsageException("--conf " + org.adpo.error.Shown.value(kv.substring(0, eq))
            + " is given twice");
      }
    }
    return new SparkConfArgs(rest.toArray(new String[0]), conf);
  }

  /** True once a termination signal arrived: the failure that follows is its consequence, already reported. */
  private static boolean terminating() {
    return terminatedBy != null;
  }

  /** The stack trace of {@code e} and its causes without their messages. */
  private static void printFramesOnly(Throwable e, PrintStream err) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      err.println((t == e ? "" : "Caused by: ") + t.getClass().getName());
      for (StackTraceElement f : t.getStackTrace()) {
        err.println("\tat " + f);
      }
    }
  }
}
