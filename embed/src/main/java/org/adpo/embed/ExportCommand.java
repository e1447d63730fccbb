package org.adpo.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.adpo.cli.Options;
import org.adpo.data.PoolReader;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;
import org.adpo.spark.SparkSessions;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code bin/adpo embed export}: a selection of an embedded pool (the output of {@code select}, or of
 * {@code online export}) as a DPO training file with {@code prompt}, {@code chosen},
 * {@code rejected} in pick order, plus {@code id}, {@code rank}, {@code gain} (and {@code round}
 * for online rounds). The pair is oriented by the selection's label {@code s}: s = 1 means y1 is
 * preferred, and the pool's {@code y1_is_chosen} says which of the input's two responses y1 is (it
 * survives an online export, where s is the person's label). The text comes from the selection
 * itself (a pool embedded with {@code --keep-text}) or from the input file joined by id.
 */
final class ExportCommand {
  static final String HELP = String.join("\n",
      "usage: bin/adpo embed export --selection DIR --output FILE [--input FILE [--format F]",
      "           [--column ROLE=NAME]... [--limit N]] [--output-format jsonl|parquet] [--overwrite] [--master URL]",
      "",
      "Writes the picks of a selection of an embedded pool as one DPO training file: prompt, chosen,",
      "rejected (oriented by the selection's label s: s = 1 means y1 is preferred), id, rank, gain (and",
      "round), in pick order. Loads with datasets.load_dataset(\"json\", data_files=\"FILE\", split=\"train\")",
      "(or \"parquet\"), the dataset TRL's DPOTrainer and similar trainers take.",
      "",
      "  --selection DIR      the --output directory of 'bin/adpo select' or 'bin/adpo online export',",
      "                       made from a pool of 'bin/adpo embed' (it needs the column y1_is_chosen)",
      "  --output FILE        the training file (written atomically; refused if it exists)",
      "  --output-format F    jsonl (default, or by FILE's name: .parquet gives parquet) or parquet",
      "  --input FILE         the file the pool was embedded from: its text is joined by id. Give the",
      "                       same --format, --column and --limit as for embed. Without it the text comes",
      "                       from the selection (a pool embedded with --keep-text); with neither the",
      "                       command refuses",
      "  --overwrite          replace an existing FILE",
      "  --master URL         Spark master (default local[*])",
      "");

  private static final Map<String, Options.Kind> OPTIONS = new LinkedHashMap<>();

  static {
    for (String name : new String[] {"selection", "output", "output-format", "input", "format", "reference-column",
        "master"}) {
      OPTIONS.put(name, Options.Kind.TEXT);
    }
    OPTIONS.put("limit", Options.Kind.LONG);
    OPTIONS.put("overwrite", Options.Kind.FLAG);
  }

  /** One exported pair. */
  record Pair(String prompt, String chosen, String rejected, Object id, long rank, double gain, Long round) {}

  private ExportCommand() {}

  static int run(String[] all, PrintStream out) {
    List<String> given = new ArrayList<>();
    String[] args = EmbedCommand.takeColumns(all, given);
    Options o = Options.parse("embed export", args, 2, OPTIONS);
    String dir = o.require("selection", "embed export");
    String output = o.require("output", "embed export");
    String of = o.has("output-format") ? o.get("output-format").trim().toLowerCase(Locale.ROOT)
        : output.endsWith(".parquet") ? "parquet" : "jsonl";
    if (!of.equals("parquet") && !of.equals("jsonl")) {
      throw new UsageException("--output-format expects jsonl or parquet, got '" + o.get("output-format") + "'");
    }
    String input = o.get("input");
    if (input == null && (o.has("format") || !given.isEmpty() || o.has("limit"))) {
      throw new UsageException("--format, --column and --limit describe the --input file; give --input too");
    }
    long limit = o.has("limit") ? Long.parseLong(o.get("limit").trim()) : -1;
    EmbedJob.Settings s = input == null ? null : new EmbedJob.Settings(input, 1, 0, EmbedCommand.layout(o),
        EmbedCommand.columns(given, o.get("reference-column")), limit, false, false);
    // Claimed before Spark starts, with both inputs: an output that is, contains or lies inside the
    // selection or the text file is refused (io.OutputTarget).
    List<org.adpo.io.OutputTarget.Input> inputs = new ArrayList<>();
    inputs.add(new org.adpo.io.OutputTarget.Input(dir, "--selection"));
    if (input != null) {
      inputs.add(new org.adpo.io.OutputTarget.Input(input, "--input"));
    }
    try (org.adpo.io.OutputTarget target = org.adpo.io.OutputTarget.claim(SparkSessions.hadoopConf(), output,
        o.has("overwrite"), "embed export", inputs)) {
      SparkSession spark = SparkSessions.getOrCreate("local[*]", o.get("master"), "adpo-embed-export");
      try {
        String[] source = new String[1];
        List<Pair> pairs = pairs(spark, dir, s, source);
        target.commit((fs, tmp) -> write(spark, fs, tmp, pairs, of));
        out.printf(Locale.ROOT, "exported %d pairs of %s in pick order (text %s); wrote %s (%s)%n", pairs.size(),
            dir, source[0], output, of);
        out.printf(Locale.ROOT, "load it with: datasets.load_dataset(\"%s\", data_files=\"%s\", split=\"train\")%n",
            of.equals("jsonl") ? "json" : "parquet", output);
        return 0;
      } finally {
        SparkSessions.release(spark);
      }
    }
  }

  /** The selection's picks with their text, in rank order; {@code source[0]} says where the text came from. */
  static List<Pair> pairs(SparkSession spark, String dir, EmbedJob.Settings input, String[] source) {
    Path root = new Path(dir);
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        throw new BadInputException("selection directory not found: " + dir);
      }
      if (!fs.exists(new Path(root, "selection"))) {
        throw new BadInputException("selection directory " + dir + " has no 'selection' inside; expected the --output"
            + " directory of bin/adpo select or bin/adpo online export");
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read selection " + dir + ": " + e.getMessage(), e);
    }
    List<Row> rows = PoolReader.read(spark, new Path(root, "selection").toString(), "auto").orderBy("rank")
        .collectAsList();
    if (rows.isEmpty()) {
      throw new BadInputException("selection " + dir + " is empty");
    }
    StructType schema = rows.get(0).schema();
    Set<String> cols = new HashSet<>(Arrays.asList(schema.fieldNames()));
    for (String need : List.of("id", "s", "rank", "gain", "y1_is_chosen")) {
      if (!cols.contains(need)) {
        throw new BadInputException("selection " + dir + " has no column '" + need + "'"
            + (need.equals("y1_is_chosen") ? "; export needs a selection of a pool written by bin/adpo embed" : "")
            + "; its columns are " + Arrays.toString(schema.fieldNames()));
      }
    }
    boolean pooled = cols.containsAll(EmbedJob.TEXT);
    Map<String, TextPair> texts = null;
    if (input != null) {
      texts = joined(spark, input, rows);
      source[0] = "from " + input.input() + " joined by id";
    } else if (pooled) {
      source[0] = "from the pool (--keep-text)";
    } else {
      throw new BadInputException("selection " + dir + " holds no text (its pool was embedded without --keep-text);"
          + " give --input FILE, the file the pool was embedded from, to join the text by id");
    }
    List<Pair> pairs = new ArrayList<>();
    for (Row r : rows) {
      Object id = r.getAs("id");
      Object label = r.getAs("s");
      double s = label instanceof Number n ? n.doubleValue() : Double.NaN;
      if (s != 0 && s != 1) {
        throw new BadInputException("selection " + dir + ": row with id=" + id + ": label 's' is " + label
            + "; export needs a label of 0 or 1 for every pick");
      }
      boolean y1Chosen = r.<Boolean>getAs("y1_is_chosen");
      // s = 1: y1 preferred. The input's chosen side is preferred when that agrees with y1 being it.
      boolean keep = (s == 1) == y1Chosen;
      String cp;
      String c;
      String rp;
      String rj;
      if (texts != null) {
        TextPair t = texts.get(String.valueOf(id));
        cp = t.chosenPrompt;
        c = t.chosen;
        rp = t.rejectedPrompt;
        rj = t.rejected;
      } else {
        cp = r.getAs("chosen_prompt");
        c = r.getAs("chosen");
        rp = r.getAs("rejected_prompt");
        rj = r.getAs("rejected");
      }
      Long round = cols.contains("round") && r.getAs("round") != null ? ((Number) r.getAs("round")).longValue() : null;
      pairs.add(new Pair(keep ? cp : rp, keep ? c : rj, keep ? rj : c, id, ((Number) r.getAs("rank")).longValue(),
          ((Number) r.getAs("gain")).doubleValue(), round));
    }
    return pairs;
  }

  /** The input's records of the selected ids, by id text; every selected id must be there. */
  static Map<String, TextPair> joined(SparkSession spark, EmbedJob.Settings s, List<Row> rows) {
    Set<String> ids = new HashSet<>();
    for (Row r : rows) {
      ids.add(String.valueOf((Object) r.getAs("id")));
    }
    EmbedJob.Checked c = EmbedJob.check(spark, s);
    List<TextPair> found = EmbedJob.parsed(c.input(), c.layout()).filter(TextPair::ok)
        .filter(t -> ids.contains(String.valueOf(t.key != null ? t.key : t.id))).collect();
    Map<String, TextPair> m = new HashMap<>();
    for (TextPair t : found) {
      m.put(String.valueOf(t.key != null ? t.key : t.id), t);
    }
    for (Row r : rows) {
      Object id = r.getAs("id");
      if (!m.containsKey(String.valueOf(id))) {
        throw new BadInputException("id " + id + " of the selection is not in " + s.input() + " (ids are "
            + (s.columns().id() != null ? "the values of field '" + s.columns().id() + "'" : "record indices")
            + "); give the file the pool was embedded from, with the same --format, --column and --limit");
      }
    }
    return m;
  }

  /** Writes the pairs as the single file {@code target}. */
  static void write(SparkSession spark, FileSystem fs, Path target, List<Pair> pairs, String format) throws IOException {
    boolean rounds = pairs.stream().anyMatch(p -> p.round() != null);
    if (format.equals("jsonl")) {
      ObjectMapper json = new ObjectMapper();
      try (OutputStream os = fs.create(target, false)) {
        for (Pair p : pairs) {
          ObjectNode n = json.createObjectNode();
          n.put("prompt", p.prompt());
          n.put("chosen", p.chosen());
          n.put("rejected", p.rejected());
          n.putPOJO("id", p.id());
          n.put("rank", p.rank());
          n.put("gain", p.gain());
          if (rounds) {
            n.putPOJO("round", p.round());
          }
          os.write((json.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      return;
    }
    Object first = pairs.get(0).id();
    StructType schema = new StructType()
        .add("prompt", DataTypes.StringType, false)
        .add("chosen", DataTypes.StringType, false)
        .add("rejected", DataTypes.StringType, false)
        .add("id", first instanceof String ? DataTypes.StringType
            : first instanceof Integer ? DataTypes.IntegerType : DataTypes.LongType, false)
        .add("rank", DataTypes.LongType, false)
        .add("gain", DataTypes.DoubleType, false);
    if (rounds) {
      schema = schema.add("round", DataTypes.LongType, true);
    }
    List<Row> rows = new ArrayList<>();
    for (Pair p : pairs) {
      rows.add(rounds ? RowFactory.create(p.prompt(), p.chosen(), p.rejected(), p.id(), p.rank(), p.gain(), p.round())
          : RowFactory.create(p.prompt(), p.chosen(), p.rejected(), p.id(), p.rank(), p.gain()));
    }
    // one partition, so one part file in pick order; it becomes the target file
    Path parts = new Path(target.getParent(), target.getName() + "-parts");
    try {
      spark.createDataFrame(rows, schema).coalesce(1).write().parquet(parts.toString());
      Path part = null;
      for (FileStatus f : fs.listStatus(parts)) {
        if (f.getPath().getName().startsWith("part-")) {
          part = f.getPath();
        }
      }
      if (part == null || !fs.rename(part, target)) {
        throw new IOException("cannot move the Parquet part file of " + parts + " to " + target);
      }
    } finally {
      fs.delete(parts, true);
    }
  }
}
