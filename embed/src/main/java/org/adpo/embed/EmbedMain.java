package org.adpo.embed;

import java.io.PrintStream;
import java.util.Arrays;
import org.adpo.cli.Main;
import org.adpo.data.PoolReader;
import org.adpo.error.AdpoException;

/**
 * Entry point of the embedding jar ({@code bin/adpo embed}, {@code bin/adpo embed export} and
 * {@code spark-submit --class org.adpo.embed.EmbedMain adpo-spark-embed.jar embed ...}); any other
 * command goes to the core's {@link Main}, which this jar contains. Exit codes as the core's.
 */
public final class EmbedMain {
  private EmbedMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !args[0].equals("embed")) {
      return Main.run(args, out, err);
    }
    try {
      boolean export = args.length > 1 && args[1].equals("export");
      if (Arrays.asList(args).contains("--help")) {
        out.print(export ? ExportCommand.HELP : EmbedCommand.HELP);
        return 0;
      }
      return export ? ExportCommand.run(args, out) : EmbedCommand.run(args, out);
    } catch (AdpoException e) {
      err.println("error: " + e.getMessage());
      return e.exitCode();
    } catch (Throwable e) {
      // The job's own exceptions never carry row text, so printing the failure is safe.
      err.println("error: unexpected failure: " + PoolReader.rootMessage(e));
      e.printStackTrace(err);
      return 1;
    }
  }
}
