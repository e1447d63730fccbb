package org.adpo.embed;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.adpo.cli.Options;
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
    PairParser.Format format = PairParser.parseFormat(o.has("format") ? o.get("format") : "auto");
    if (format == null) {
      throw new UsageException("--format expects auto, dialogue or triple, got '" + o.get("format") + "'");
    }
    String of = (o.has("output-format") ? o.get("output-format") : "parquet").trim().toLowerCase(Locale.ROOT);
    if (!of.equals("parquet") && !of.equals("jsonl")) {
      throw new UsageException("--output-format expects parquet or jsonl, got '" + o.get("output-format") + "'");
    }
    PoolFormat outFormat = PoolFormat.parse(of, "output format");
    EmbedJob.Settings s = new EmbedJob.Settings(input, seed, partitions, o.get("reference-column"), format, limit,
        o.has("keep-text"));
    long t0 = System.nanoTime();
    SparkSession spark = SparkSessions.getOrCreate("local[*]", o.get("master"), "adpo-embed");
    try {
      EmbedJob.Outcome r = EmbedJob.run(spark, s, output, outFormat, o.has("overwrite"));
      double total = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT,
          "embedded %d pairs (d = %d, s = 1 for %d, %d with a cut window) in %.1f s (%.1f pairs/s); wrote %s"
              + " (total %.1f s)%n",
          r.rows(), MiniLmEncoder.DIM, r.labelledOne(), r.truncated(), r.embedSeconds(),
          r.rows() / r.embedSeconds(), output, total);
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
  }
}
