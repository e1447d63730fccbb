package org.adpo.cli;

import java.io.PrintStream;
import java.util.Arrays;
import org.adpo.data.InputErrors;
import org.adpo.data.PoolReader;
import org.adpo.error.AdpoException;

/**
 * Entry point of {@code bin/adpo} and of {@code spark-submit --class org.adpo.cli.Main}. Exit codes:
 * 0 success, 2 usage or configuration error, 3 bad input data, 1 anything else.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.exit(code);
  }

  /** Runs a command and returns its exit code (for tests and embedding). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
        out.print(HelpText.GLOBAL);
        return args.length == 0 ? 2 : 0;
      }
      String command = args[0];
      boolean help = Arrays.asList(args).contains("--help");
      switch (command) {
        case "select":
          if (help) {
            out.print(HelpText.SELECT);
            return 0;
          }
          return SelectCommand.run(args, out);
        case "evaluate":
          if (help) {
            out.print(HelpText.EVALUATE);
            return 0;
          }
          return EvaluateCommand.run(args, out);
        case "experiment":
          if (help) {
            out.print(HelpText.EXPERIMENT);
            return 0;
          }
          return ExperimentCommand.run(args, out);
        case "make-pool":
          if (help) {
            out.print(HelpText.MAKE_POOL);
            return 0;
          }
          return MakePoolCommand.run(args, out);
        case "make-synthetic":
          if (help) {
            out.print(HelpText.MAKE_SYNTHETIC);
            return 0;
          }
          return MakeSyntheticCommand.run(args, out);
        default:
          err.println("error: unknown command '" + command + "'; commands: select, evaluate, experiment, make-pool, make-synthetic"
              + " (see bin/adpo --help)");
          return 2;
      }
    } catch (AdpoException e) {
      err.println("error: " + e.getMessage());
      return e.exitCode();
    } catch (Throwable e) {
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
