package org.adpo.cli;

import java.util.List;
import org.adpo.config.Setting;
import org.adpo.config.SettingTable;
import org.adpo.experiment.ExperimentSettings;

/** The text of {@code --help}: every option, once; each command's text is its {@link Command#help}. */
final class HelpText {
  private HelpText() {}

  /**
   * The text of {@code bin/adpo --help}: one line per command of {@code commands} (its name and
   * {@link Command#summary}, continuation lines indented under the summary), then what every command takes.
   */
  static String global(List<Command> commands) {
    StringBuilder s = new StringBuilder()
        .append("adpo-spark: exact distributed ADPO / ADPO+ selection of preference pairs on Apache Spark\n")
        .append("\n")
        .append("usage: bin/adpo COMMAND [options]\n")
        .append("\n")
        .append("commands:\n");
    String indent = " ".repeat(SUMMARY_COLUMN);
    for (Command c : commands) {
      String head = "  " + c.name() + "  ";
      s.append(head).append(" ".repeat(Math.max(0, SUMMARY_COLUMN - head.length())))
          .append(c.summary().replace("\n", "\n" + indent)).append('\n');
    }
    return s.append("\n")
        .append("'bin/adpo COMMAND --help' lists a command's options. Every command also takes\n")
        .append("--conf spark.KEY=VALUE (repeatable), a Spark setting as spark-submit takes it; with bin/adpo,\n")
        .append("--conf spark.driver.memory=SIZE sets the JVM's heap.\n")
        .append("Exit codes: 0 success, 2 usage or configuration error, 3 bad input data, 1 a failure of the machine\n")
        .append("(one line) or anything else, 143 terminated by SIGTERM.\n")
        .toString();
  }

  /** Where the commands' summaries start in {@link #global}. */
  private static final int SUMMARY_COLUMN = 14;

  /** Width of the option lines of a command's help. */
  private static final int WIDTH = 110;
  /** Where an option's text starts. */
  private static final int OPTION_TEXT_COLUMN = 24;

  /**
   * The setting options of select, one per setting of {@link SettingTable} that has an option, in its order:
   * "--option V", then "doc (default D)" with the setting's doc and default, wrapped at {@link #WIDTH}. The
   * checkpoint directory (a Spark setting, not one of the selection) follows the checkpoint interval.
   */
  private static final String SELECT_SETTINGS = selectSettings();

  private static String selectSettings() {
    StringBuilder b = new StringBuilder();
    for (Setting s : SettingTable.ALL) {
      if (s.cliOption() == null || s.isColumn()) {
        continue;
      }
      b.append(wrap("  " + s.cliOption() + " " + s.cliValue(), OPTION_TEXT_COLUMN,
          s.doc() + " (default " + shownDefault(s.defaultValue()) + ")"));
      if (s.configKey().equals("adpo.select.checkpoint-every")) {
        b.append("  --checkpoint-dir DIR  checkpoint directory (needed on a cluster when the budget exceeds\n"
            + "                        --checkpoint-every; default: spark.checkpoint.dir, else local)\n");
      }
    }
    return b.toString();
  }

  /** The HOCON keys of the settings that have no option of select. */
  private static List<String> configOnly() {
    List<String> keys = new java.util.ArrayList<>();
    for (Setting s : SettingTable.ALL) {
      if (s.cliOption() == null) {
        keys.add(s.configKey());
      }
    }
    return keys;
  }

  /**
   * online init's usage lines: its own options, then one per setting it takes ({@link
   * OnlineCommand#INIT_SETTINGS}, from {@link SettingTable}), wrapped at 100 columns.
   */
  private static String onlineInitUsage() {
    List<String> parts = new java.util.ArrayList<>(List.of("[--config FILE.conf]", "[--budget N]"));
    for (Setting s : OnlineCommand.INIT_SETTINGS) {
      boolean algorithm = s.configKey().equals("adpo.select.algorithm");
      parts.add("[" + s.cliOption() + " " + (algorithm ? "adpo|pmc" : s.cliValue()) + "]");
    }
    parts.addAll(List.of("[--column ROLE=NAME]", "[--format F]", "[--master URL]"));
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder("  bin/adpo online init --pool P --state DIR");
    for (String part : parts) {
      if (line.length() + 1 + part.length() > 100) {
        out.append(line).append('\n');
        line = new StringBuilder("     ");
      }
      line.append(' ').append(part);
    }
    return out.append(line).append('\n').toString();
  }

  /** A default as --help shows it: a whole double without ".0", the empty string as "none". */
  static String shownDefault(Object value) {
    if (value instanceof String) {
      return ((String) value).isEmpty() ? "none" : (String) value;
    }
    if (value instanceof Double) {
      double d = (Double) value;
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
    return String.valueOf(value);
  }

  /**
   * {@code text} after {@code head} (padded to {@code column}, at least two spaces after it when it is not
   * empty), wrapped word by word at {@link #WIDTH}, continuation lines indented to {@code column}.
   */
  static String wrap(String head, int column, String text) {
    StringBuilder out = new StringBuilder();
    String[] words = text.trim().split("\\s+");
    StringBuilder line = new StringBuilder(head);
    if (!head.isEmpty()) {
      line.append(" ".repeat(Math.max(2, column - head.length())));
    }
    line.append(words[0]);
    for (int i = 1; i < words.length; i++) {
      if (line.length() + 1 + words[i].length() <= WIDTH) {
        line.append(' ').append(words[i]);
      } else {
        out.append(line).append('\n');
        line = new StringBuilder(" ".repeat(column)).append(words[i]);
      }
    }
    return out.append(line).append('\n').toString();
  }

  /**
   * The setting options' texts are "doc (default D)" with the doc and default of the setting in {@link
   * SettingTable} (which is also the Spark ML Params' table); SettingsAgreementTest checks every line against it.
   */
  static final String SELECT =
      "usage: bin/adpo select --input PATH --output DIR [options]\n"
          + "\n"
          + "Reads a pool, picks --budget pairs and writes DIR/selection (the input columns plus rank,\n"
          + "gain, weight, in pick order) and DIR/report.json. DIR appears only when the run succeeds.\n"
          + "A stopped run continues where it was when the same command is run again: its picks so far are\n"
          + "kept in .DIR.progress beside DIR (discarded, with a line saying why, when settings or pool differ).\n"
          + "\n"
          + "  --input PATH          pool file or directory (Parquet, JSON Lines, CSV or a Delta table)\n"
          + "  --output DIR          output directory (must not exist unless --overwrite)\n"
          + "  --format F            input format: auto (by extension or _delta_log/, default), parquet, jsonl, csv, delta\n"
          + "  --output-format F     parquet (default), jsonl, csv (arrays written as JSON text) or delta\n"
          + "  --overwrite           replace DIR if it is an earlier output of adpo-spark\n"
          + SELECT_SETTINGS
          + "  --column ROLE=NAME    column name for ROLE (id, phi, phi1, phi2, b, s, weight); repeatable\n"
          + "  --master URL          Spark master (default local[*], or what spark-submit set)\n"
          + "  --config FILE         HOCON file with settings under adpo { ... } (see conf/example.conf)\n"
          + "  --help                this text\n"
          + "\n"
          + wrap("", 0, "Settings without an option go in --config FILE: " + String.join(", ", configOnly())
              + " (reference.conf documents every key).") + "\n"
          + "Pool columns: id (integer or string, unique), phi (array of numbers, ML Vector, or a string\n"
          + "of numbers in CSV) or phi1 + phi2 (phi = phi1 - phi2), optional b (default 0), s (0/1 label,\n"
          + "needed by adpo-plus and by adpo/pmc unless --oracle bernoulli --theta-true), weight (dopt).\n"
          + "Other columns pass through to the selection; adpo and pmc add the revealed label as 'label'.\n";

  static final String MAKE_POOL =
      "usage: bin/adpo make-pool --output DIR [options]\n"
          + "\n"
          + "Builds a pool of preference pairs from Fashion-MNIST (the recipe of docs/method.md: phi = x_pos - x_neg\n"
          + "on a seeded random subset of pixels, labels from a logistic teacher, b from a perturbed teacher)\n"
          + "and writes it as one Parquet file under DIR.\n"
          + "\n"
          + "  --output DIR          output directory (must not exist)\n"
          + "  --images FILE         IDX image file (default /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz)\n"
          + "  --labels FILE         IDX label file (default /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz)\n"
          + "  --pairs N             number of pairs (default 4096)\n"
          + "  --dim D               number of pixel features (default 64)\n"
          + "  --seed S              seed (default 1)\n"
          + "  --positive-class C    class 0..9 used as positive (default: drawn from the seed)\n"
          + "  --lambda L            L2 penalty of the teacher fit (default 1)\n"
          + "  --master URL          Spark master (default local[*]; the writer needs a local file system)\n"
          + "  --help                this text\n";

  static final String MAKE_SYNTHETIC =
      "usage: bin/adpo make-synthetic --output DIR [options]\n"
          + "\n"
          + "Writes a seeded random pool (generated on the executors): phi ~ N(0, I/d), b ~ N(0, 0.09),\n"
          + "s ~ Bernoulli(mu(phi . theta - b)) for a theta drawn from the seed. Row i depends only on\n"
          + "(seed, i).\n"
          + "\n"
          + "  --output DIR          output directory (must not exist)\n"
          + "  --rows N              number of rows (default 100000)\n"
          + "  --dim D               dimension of phi (default 64)\n"
          + "  --seed S              seed (default 1)\n"
          + "  --partitions P        number of output files / partitions (default 8)\n"
          + "  --output-format F     parquet (default), jsonl, csv or delta\n"
          + "  --raw-dump            also write phi as raw little-endian float32 rows in id order into\n"
          + "                        DIR/_phi_f32/part-NNNNN.f32 (ignored by the pool readers), for\n"
          + "                        programs without a Parquet reader (bench/perf.py)\n"
          + "  --master URL          Spark master (default local[*])\n"
          + "  --help                this text\n";

  static final String EVALUATE =
      "usage: bin/adpo evaluate --pool PATH --selection [NAME=]DIR [--selection ...] --output DIR [options]\n"
          + "\n"
          + "For each selection (the --output directory of bin/adpo select) and each n of the grid, fits\n"
          + "theta_hat_n on the picks with rank <= n, fits theta* on all labelled rows of the pool, and writes\n"
          + "DIR/metrics.csv, metrics.json, metrics.html (inline SVG) and metrics.png: max and mean logit\n"
          + "error |phi.(theta_hat_n - theta*)|, error rate (sign of phi.theta - b vs theta*'s; sign(0) = 0\n"
          + "is a class of its own), accuracy, margin and negative log-likelihood (docs/method.md). DIR appears only\n"
          + "when the run succeeds.\n"
          + "\n"
          + "  --pool PATH           the pool the selections were made from; needs the label column s.\n"
          + "                        A selection whose report.json records another pool (its content\n"
          + "                        fingerprint, or rows and d) is refused (exit 3)\n"
          + "  --test-pool PATH      held-out pairs (labels s, same d, no id in the pool; see bin/adpo split):\n"
          + "                        every metric is also computed on them, as the test_ columns\n"
          + "  --selection [NAME=]DIR  a selection directory (DIR/selection in parquet, jsonl, csv or delta);\n"
          + "                        NAME defaults to the algorithm in DIR/report.json; repeatable\n"
          + "  --output DIR          output directory (must not exist unless --overwrite)\n"
          + "  --grid 1,2,4,8        prefix sizes (default: powers of two up to each selection's size, and\n"
          + "                        the size; sizes above a selection's size are skipped)\n"
          + "  --beta B              DPO temperature of the fits and metrics, > 0 (default 1)\n"
          + "  --lambda L            L2 penalty of the fits, > 0 (default 1)\n"
          + "  --column ROLE=NAME    column name for ROLE (id, phi, phi1, phi2, b, s); repeatable\n"
          + "  --format F            pool format: auto (by extension or _delta_log/, default), parquet, jsonl, csv, delta\n"
          + "  --overwrite           replace DIR if it is an earlier output of adpo-spark\n"
          + "  --master URL          Spark master (default local[*], or what spark-submit set)\n"
          + "  --config FILE         HOCON file with settings under adpo { ... } (adpo.evaluate, adpo.fit)\n"
          + "  --help                this text\n"
          + "\n"
          + "Prefixes of a selection with size x d <= adpo.evaluate.driver-fit-max-values are fitted on the\n"
          + "driver (dense Newton); larger ones with the distributed L-BFGS. theta* is always distributed.\n";

  static final String SPLIT =
      "usage: bin/adpo split --input POOL --train DIR --test DIR --test-fraction F [options]\n"
          + "\n"
          + "Writes every row of POOL (all its columns) to the test pool DIR if the seeded hash of its id,\n"
          + "as a fraction of 2^64, is below F, else to the training pool: the same split for any\n"
          + "partitioning, row order or file format, and again for the same seed. The pool is validated as\n"
          + "select validates it. Both directories appear only when the run succeeds.\n"
          + "\n"
          + "  --input POOL          pool file or directory (Parquet, JSON Lines, CSV or a Delta table)\n"
          + "  --train DIR           training pool to write (must not exist unless --overwrite)\n"
          + "  --test DIR            test pool to write (must not exist unless --overwrite)\n"
          + "  --test-fraction F     expected share of rows in the test pool, 0 < F < 1\n"
          + "  --seed S              seed of the id hash (default 1)\n"
          + "  --format F            input format: auto (default), parquet, jsonl, csv, delta\n"
          + "  --output-format F     parquet (default), jsonl, csv or delta\n"
          + "  --column ROLE=NAME    column name for ROLE (id, phi, phi1, phi2, b, s); repeatable\n"
          + "  --overwrite           replace DIR if it exists\n"
          + "  --master URL          Spark master (default local[*])\n"
          + "  --help                this text\n";

  static final String EXPERIMENT =
      "usage: bin/adpo experiment --output DIR [options]\n"
          + "\n"
          + "The paper's log-linear experiment on Fashion-MNIST. For each seed: build a pool of pairs by the\n"
          + "recipe of docs/method.md (features: a seeded random subset of d non-constant pixels), run every method\n"
          + "once at the largest budget, and evaluate it at every budget n on its first n picks (theta* =\n"
          + "fit on all labels of the pool); adpo-safe, and adpo-warm with alpha > 0, whose picks depend on\n"
          + "the budget, are run once per budget. Writes DIR/results.csv (seed, method, n, metrics), summary.csv\n"
          + "(mean, min, max over seeds), picks.csv, results.json (settings, timings, claims check),\n"
          + "figure.html and figure.png (each metric vs n, mean with min-max bars) and claims.md.\n"
          + "DIR appears only when the run succeeds. The defaults take about an hour on 2 cores.\n"
          + "\n"
          + "  --output DIR          output directory (must not exist unless --overwrite)\n"
          + "  --pairs N             pairs per pool (default 65536 = 2^16)\n"
          + "  --dim D               feature dimension, pixels drawn per seed (default 384)\n"
          + "  --budgets LIST        comma-separated budgets n (default 64,128,...,32768 = 2^6..2^15)\n"
          + "  --seeds LIST          comma-separated seeds; each drives the pool and the methods (default 1,2,3)\n"
          + "  --methods LIST        comma-separated algorithms (default adpo,adpo-plus,adpo-safe,apo,pmc,uniform)\n"
          + "  --alpha A             UCB optimism of adpo, adpo-plus and adpo-warm, >= 0 (default 3)\n"
          + "  --beta B              DPO temperature, > 0 (default 1)\n"
          + "  --images FILE         IDX images (default " + ExperimentSettings.DATASET_DIR
          + "train-images-idx3-ubyte.gz)\n"
          + "  --labels FILE         IDX labels (default " + ExperimentSettings.DATASET_DIR
          + "train-labels-idx1-ubyte.gz)\n"
          + "  --pool PATH           run on this pool (every seed) instead of generating one from the IDX files\n"
          + "  --test-fraction F     0 < F < 1: split each seed's pool by id as bin/adpo split does (seed = the\n"
          + "                        experiment seed); methods select from the training part and every metric\n"
          + "                        is computed on the held-out part (default 0: metrics on the pool itself)\n"
          + "  --overwrite           replace DIR if it is an earlier output of adpo-spark\n"
          + "  --master URL          Spark master (default local[*])\n";

  static final String ONLINE =
      "usage: bin/adpo online init|next|ingest|status|export --state DIR [options]\n"
          + "\n"
          + "Online ADPO (or pmc) in rounds labelled by people, one step per process, on a crash-safe state\n"
          + "directory: every step commits by atomically replacing DIR/state.json, so a step killed at any\n"
          + "moment leaves the last committed state, and running it again finishes it.\n"
          + "\n"
          + onlineInitUsage()
          + "    validates the pool as select does and fixes the configuration (DIR/config.json) and the\n"
          + "    pool's fingerprint. --budget: total number of labels (default adpo.online.budget, 0 = none).\n"
          + "    The other options are select's settings that stay fixed for every round (see select --help).\n"
          + "    The same init again exits 0 (already initialised); a different one is refused.\n"
          + "  bin/adpo online next --state DIR --batch B [--round K] [--master URL]\n"
          + "    refits theta on all labels ingested so far (0 before any), picks the next B pairs by the\n"
          + "    exact greedy and writes DIR/queries/round-K/ (CSV: id, round, rank, the pool's other\n"
          + "    columns, an empty label column s). While round K awaits labels, next does nothing (exit 0).\n"
          + "    --round K (for schedulers: one task per round): exit 0 without work if round K was already\n"
          + "    issued, even if its labels are in; refused (exit 2) if round K is not the next one.\n"
          + "  bin/adpo online ingest --state DIR --labels FILE [--round K] [--master URL]\n"
          + "    reads id and s (0 or 1) from CSV, JSON Lines or Parquet (a file or a directory of part\n"
          + "    files) and closes the open round. Unknown, duplicate or foreign ids, labels other than 0/1\n"
          + "    and missing ids are refused (exit 3) and nothing changes. The same file again exits 0.\n"
          + "    --round K: refused (exit 2) unless the file holds round K's labels.\n"
          + "  bin/adpo online status --state DIR [--json]\n"
          + "    round, picks, labels, budget left, whether a round awaits labels (and its queries),\n"
          + "    theta norm, log det.\n"
          + "  bin/adpo online export --state DIR --output OUT [--output-format parquet|jsonl|csv]\n"
          + "      [--overwrite] [--master URL]\n"
          + "    writes OUT/selection (the labelled picks: pool columns, s = ingested label, round, rank,\n"
          + "    gain, weight) and OUT/report.json, atomically.\n"
          + "\n"
          + "Every step checks that DIR/config.json still has its recorded hash (exit 2) and that the pool's\n"
          + "files are unchanged (exit 3). Two steps on one state at once: the second fails at once (exit 2).\n";
}
