package org.adpo.embed;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.adpo.data.PoolFormat;
import org.adpo.error.UsageException;
import org.adpo.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** {@code bin/adpo embed}: a JSON Lines file of text preference pairs to a pool. */
public final class EmbedCommand {
  static final String HELP = String.join("\n",
      "usage: bin/adpo embed --input FILE.jsonl[.gz] --output POOL [--seed S] [--partitions P]",
      "           [--reference-column NAME] [--format auto|dialogue|triple] [--output-format parquet|jsonl]",
      "           [--overwrite] [--limit N] [--keep-text] [--master URL]",
      "",
      "Embeds each pair with all-MiniLM-L6-v2 (quantized ONNX, d = 384, inside the jar) and writes a pool",
      "that 'bin/adpo select' and 'bin/adpo evaluate' read: id (0-based line index), phi, b, s, truncated.",
      "",
      "  --input FILE         JSON Lines (gzip by .gz). triple: fields prompt, chosen, rejected;",
      "                       dialogue (hh-rlhf): chosen and rejected are whole dialogues, the prompt is",
      "                       everything before the last \"\\n\\nAssistant:\", the response the rest.",
      "  --format F           auto (default: triple when a row has 'prompt'), triple or dialogue",
      "  --output POOL        output directory (written atomically; refused if it exists)",
      "  --overwrite          replace an existing POOL",
      "  --output-format F    parquet (default) or jsonl",
      "  --seed S             seed of the per-row swap: y1 is the chosen response (s = 1) or the",
      "                       rejected one (s = 0) by a hash of (S, id); default 1",
      "  --reference-column C numeric field log pi0(chosen|x) - log pi0(rejected|x); b follows the",
      "                       swap (b = value when s = 1, -value when s = 0); without it b = 0",
      "  --partitions P       partitions for embedding (default: Spark's default parallelism)",
      "  --limit N            only the rows on the first N lines",
      "  --keep-text          also keep chosen_prompt, chosen, rejected_prompt, rejected (off by",
      "                       default: such data may hold offensive text)",
      "  --master URL         Spark master (default local[*]; spark-submit's wins)",
      "",
      "phi = emb(prompt tail + y1) - emb(prompt tail + y2): prompt and response are cut into word pieces",
      "separately and the model reads [CLS] + the last prompt pieces that fit + the response + [SEP],",
      "256 pieces at most; the response is always kept whole (cut to its first 254 pieces, with no",
      "prompt, if it alone is longer). Exit codes: 0 ok, 2 usage, 3 bad input (file and line named).",
      "");

  private EmbedCommand() {}

  static int run(String[] args, PrintStream out) {
    Map<String, String> o = parse(args);
    String input = require(o, "input");
    String output = require(o, "output");
    long seed = o.containsKey("seed") ? parseLong(o, "seed") : 1L;
    int partitions = o.containsKey("partitions") ? (int) parseLong(o, "partitions") : 0;
    long limit = o.containsKey("limit") ? parseLong(o, "limit") : -1;
    if (o.containsKey("partitions") && partitions < 1) {
      throw new UsageException("--partitions must be at least 1");
    }
    if (o.containsKey("limit") && limit < 1) {
      throw new UsageException("--limit must be at least 1");
    }
    PairParser.Format format = PairParser.parseFormat(o.getOrDefault("format", "auto"));
    if (format == null) {
      throw new UsageException("--format expects auto, dialogue or triple, got '" + o.get("format") + "'");
    }
    String of = o.getOrDefault("output-format", "parquet").trim().toLowerCase(Locale.ROOT);
    if (!of.equals("parquet") && !of.equals("jsonl")) {
      throw new UsageException("--output-format expects parquet or jsonl, got '" + o.get("output-format") + "'");
    }
    PoolFormat outFormat = PoolFormat.parse(of, "output format");
    EmbedJob.Settings s = new EmbedJob.Settings(input, seed, partitions, o.get("reference-column"), format, limit,
        o.containsKey("keep-text"));
    long t0 = System.nanoTime();
    SparkSession spark = SparkSessions.getOrCreate("local[*]", o.get("master"), "adpo-embed");
    try {
      EmbedJob.Outcome r = EmbedJob.run(spark, s, output, outFormat, o.containsKey("overwrite"));
      double total = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT,
          "embedded %d pairs (d = %d, s = 1 for %d, %d with a cut window) in %.1f s (%.1f pairs/s); wrote %s"
              + " (total %.1f s)%n",
          r.rows(), MiniLmEncoder.DIM, r.labelledOne(), r.truncated(), r.embedSeconds(),
          r.rows() / r.embedSeconds(), output, total);
      return 0;
    } finally {
      spark.stop();
    }
  }

  private static final Set<String> VALUED = Set.of("input", "output", "seed", "partitions", "reference-column",
      "format", "output-format", "limit", "master");
  private static final Set<String> FLAGS = Set.of("overwrite", "keep-text");

  static Map<String, String> parse(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new UsageException("unexpected argument '" + a + "' for 'embed' (options start with --)");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (FLAGS.contains(name)) {
        if (value != null) {
          throw new UsageException("option --" + name + " takes no value");
        }
        value = "true";
      } else if (VALUED.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException("option --" + name + " needs a value");
          }
          value = args[++i];
        }
      } else {
        throw new UsageException("unknown option --" + name + " for 'embed'; see 'bin/adpo embed --help'");
      }
      if (o.put(name, value) != null) {
        throw new UsageException("option --" + name + " is given twice");
      }
    }
    return o;
  }

  private static String require(Map<String, String> o, String name) {
    String v = o.get(name);
    if (v == null) {
      throw new UsageException("'embed' needs --" + name + "; see 'bin/adpo embed --help'");
    }
    return v;
  }

  private static long parseLong(Map<String, String> o, String name) {
    try {
      return Long.parseLong(o.get(name).trim());
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + name + " expects an integer, got '" + o.get(name) + "'");
    }
  }
}
