package org.adpo.embed;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.adpo.cli.Options;
import org.adpo.data.PoolFormat;
import org.adpo.error.UsageException;
import org.adpo.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** {@code bin/adpo embed}: a file of text preference pairs (JSON Lines, Parquet or a JSON array) to a pool. */
public final class EmbedCommand {
  static final String HELP = String.join("\n",
      "usage: bin/adpo embed --input FILE --output POOL [--format auto|triple|dialogue|chat|pairwise]",
      "           [--column ROLE=NAME]... [--seed S] [--partitions P] [--output-format parquet|jsonl]",
      "           [--overwrite] [--limit N] [--keep-text] [--drop-extra] [--master URL]",
      "       bin/adpo embed export --selection DIR --output FILE [--input FILE [--format F] [--column ROLE=NAME]...]",
      "           [--output-format jsonl|parquet] [--overwrite]   (see 'bin/adpo embed export --help')",
      "",
      "Embeds each pair with all-MiniLM-L6-v2 (quantized ONNX, d = 384, inside the jar) and writes a pool",
      "that 'bin/adpo select' and 'bin/adpo evaluate' read: id, phi, b, s, truncated, y1_is_chosen, then",
      "the input's other fields.",
      "",
      "  --input FILE         JSON Lines (gzip by .gz), Parquet (a file or a directory of part files), or",
      "                       one JSON array of objects",
      "  --format F           the layout of a record (auto decides on the first record and says which):",
      "                       triple: prompt, chosen, rejected texts;",
      "                       dialogue (hh-rlhf): chosen and rejected are whole dialogues, the prompt is",
      "                       everything before the last \"\\n\\nAssistant:\", the response the rest;",
      "                       chat: chosen and rejected are lists of {role, content} messages (a prompt",
      "                       list goes before them); the response is the last assistant message, the",
      "                       prompt the messages before it;",
      "                       pairwise: prompt (or instruction), output_1, output_2 and preference (1 or 2:",
      "                       the better one; 0 or a value between 1 and 2 is a tie, dropped and counted)",
      "  --column ROLE=NAME   the input field of ROLE (prompt, chosen, rejected, response1, response2,",
      "                       preference, id, reference); repeatable. id: the pool's id is this field's",
      "                       value (integers or strings, unique) instead of the record index; reference:",
      "                       log pi0(chosen|x) - log pi0(rejected|x), b follows the swap (b = value when",
      "                       s = 1, -value when s = 0); without it b = 0",
      "  --reference-column C the same as --column reference=C",
      "  --output POOL        output directory (written atomically; refused if it exists)",
      "  --overwrite          replace an existing POOL",
      "  --output-format F    parquet (default) or jsonl",
      "  --seed S             seed of the per-record swap: y1 is the chosen response (s = 1) or the",
      "                       rejected one (s = 0) by a hash of (S, record index); default 1",
      "  --partitions P       tasks for embedding (default: 4 per core of Spark's default parallelism)",
      "  --limit N            only the first N records (lines of a JSON Lines file)",
      "  --keep-text          also keep chosen_prompt, chosen, rejected_prompt, rejected (off by",
      "                       default: such data may hold offensive text); 'embed export' then needs no",
      "                       --input",
      "  --drop-extra         do not pass the input's other fields through to the pool (they may hold",
      "                       text too); a field named like a pool column is passed as input_NAME",
      "  --master URL         Spark master (default local[*]; spark-submit's wins)",
      "",
      "phi = emb(prompt tail + y1) - emb(prompt tail + y2): prompt and response are cut into word pieces",
      "separately and the model reads [CLS] + the last prompt pieces that fit + the response + [SEP],",
      "256 pieces at most; the response is always kept whole (cut to its first 254 pieces, with no",
      "prompt, if it alone is longer). The id without --column id is the record's 0-based index (the line",
      "index of a JSON Lines file). Exit codes: 0 ok, 2 usage, 3 bad input (file and record named).",
      "");

  private EmbedCommand() {}

  /** The values of {@code --column} (repeatable), taken out of {@code args} into {@code columns}. */
  static String[] takeColumns(String[] args, List<String> columns) {
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--column")) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException("option --column needs a value");
        }
        columns.add(args[++i]);
      } else if (args[i].startsWith("--column=")) {
        columns.add(args[i].substring("--column=".length()));
      } else {
        rest.add(args[i]);
      }
    }
    return rest.toArray(new String[0]);
  }

  /** The columns of {@code --column ROLE=NAME} values over the defaults. */
  static PairParser.Columns columns(List<String> given, String referenceColumn) {
    PairParser.Columns c = PairParser.Columns.defaults();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String g : given) {
      int eq = g.indexOf('=');
      String role = eq > 0 ? g.substring(0, eq).trim() : "";
      String name = eq > 0 ? g.substring(eq + 1).trim() : "";
      if (role.isEmpty() || name.isEmpty()) {
        throw new UsageException("--column expects ROLE=NAME, got '" + g + "'");
      }
      PairParser.Columns next = c.with(role, name);
      if (next == null) {
        throw new UsageException("unknown role '" + role + "' in --column " + g + "; the roles are "
            + String.join(", ", PairParser.Columns.ROLES));
      }
      if (!seen.add(role)) {
        throw new UsageException("--column names the field of role '" + role + "' twice");
      }
      c = next;
    }
    if (referenceColumn != null) {
      if (seen.contains("reference")) {
        throw new UsageException("--reference-column and --column reference=... name the same role; give one");
      }
      c = c.with("reference", referenceColumn);
    }
    return c;
  }

  static PairParser.Layout layout(Options o) {
    PairParser.Layout format = PairParser.parseLayout(o.has("format") ? o.get("format") : "auto");
    if (format == null) {
      throw new UsageException("--format expects auto, triple, dialogue, chat or pairwise, got '" + o.get("format")
          + "'");
    }
    return format;
  }

  static int run(String[] all, PrintStream out) {
    List<String> given = new ArrayList<>();
    String[] args = takeColumns(all, given);
    Options o = Options.parse("embed", args, 1, OPTIONS);
    String input = o.require("input", "embed");
    String output = o.require("output", "embed");
    long seed = o.has("seed") ? Long.parseLong(o.get("seed").trim()) : 1L;
    int partitions = o.has("partitions") ? Integer.parseInt(o.get("partitions").trim()) : 0;
    long limit = o.has("limit") ? Long.parseLong(o.get("limit").trim()) : -1;
    if (o.has("partitions") && partitions < 1) {
      throw new UsageException("--partitions must be at least 1");
    }
    if (o.has("limit") && limit < 1) {
      throw new UsageException("--limit must be at least 1");
    }
    PairParser.Layout format = layout(o);
    PairParser.Columns columns = columns(given, o.get("reference-column"));
    String of = (o.has("output-format") ? o.get("output-format") : "parquet").trim().toLowerCase(Locale.ROOT);
    if (!of.equals("parquet") && !of.equals("jsonl")) {
      throw new UsageException("--output-format expects parquet or jsonl, got '" + o.get("output-format") + "'");
    }
    PoolFormat outFormat = PoolFormat.parse(of, "output format");
    EmbedJob.Settings s = new EmbedJob.Settings(input, seed, partitions, format, columns, limit, o.has("keep-text"),
        !o.has("drop-extra"));
    long t0 = System.nanoTime();
    SparkSession spark = SparkSessions.getOrCreate("local[*]", o.get("master"), "adpo-embed");
    try {
      EmbedJob.Outcome r = EmbedJob.run(spark, s, output, outFormat, o.has("overwrite"));
      double total = (System.nanoTime() - t0) / 1e9;
      List<String> passed = new ArrayList<>();
      int first = EmbedJob.BASE.size() + (s.keepText() ? EmbedJob.TEXT.size() : 0);
      for (int i = first; i < r.schema().size(); i++) {
        passed.add(r.schema().fields()[i].name());
      }
      out.printf(Locale.ROOT, "layout: %s (%s)%s%n", r.layout().layout().label(), r.layout().reason(),
          passed.isEmpty() ? "" : "; passed through: " + String.join(", ", passed));
      out.printf(Locale.ROOT,
          "embedded %d pairs (d = %d, s = 1 for %d, %d with a cut window%s) in %.1f s (%.1f pairs/s); wrote %s"
              + " (total %.1f s)%n",
          r.rows(), MiniLmEncoder.DIM, r.labelledOne(), r.truncated(),
          r.layout().layout() == PairParser.Layout.PAIRWISE ? ", " + r.ties() + " ties dropped" : "",
          r.embedSeconds(), r.rows() / r.embedSeconds(), output, total);
      EmbedJob.Profile p = r.profile();
      out.printf(Locale.ROOT, "embedding tasks (%d, summed): getting the model %.1f s, word pieces %.1f s, model runs"
          + " %.1f s, rest %.1f s%n", p.tasks(), p.model(), p.tokenize(), p.run(), p.rest());
      return 0;
    } finally {
      SparkSessions.release(spark); // a host's session (a notebook's, a Databricks job's) is left running
    }
  }

  private static final Map<String, Options.Kind> OPTIONS = new LinkedHashMap<>();

  static {
    for (String name : new String[] {"input", "output", "reference-column", "format", "output-format", "master"}) {
      OPTIONS.put(name, Options.Kind.TEXT);
    }
    OPTIONS.put("seed", Options.Kind.LONG);
    OPTIONS.put("limit", Options.Kind.LONG);
    OPTIONS.put("partitions", Options.Kind.INT);
    OPTIONS.put("overwrite", Options.Kind.FLAG);
    OPTIONS.put("keep-text", Options.Kind.FLAG);
    OPTIONS.put("drop-extra", Options.Kind.FLAG);
  }
}
