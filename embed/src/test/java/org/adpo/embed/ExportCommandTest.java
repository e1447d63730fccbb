package org.adpo.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * From text pairs to a training file: embed, select (or online rounds with labels that disagree with
 * the file), export; the exported pairs are the selected ones in pick order, oriented by the label,
 * with the text from the pool or from the input joined by id (the same either way).
 */
@ExtendWith(SparkSessionExtension.class)
class ExportCommandTest {
  static final String[][] TEXTS = {
      {"What is the capital of France?", "Paris.", "Berlin."}, {"Name a fruit.", "An apple.", "A chair."},
      {"How many legs does a spider have?", "Eight.", "Six."}, {"Say hello.", "Hello!", "Go away."},
      {"Is water wet?", "Yes, in the everyday sense.", "Water is a planet."}, {"Pick a colour.", "Blue.", "Seven."},
      {"Translate 'cat' to French.", "Chat.", "Hund."}, {"What is 2 + 2?", "4.", "22."}};

  static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = EmbedMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, String.join(" ", args) + "\n" + all);
    return all;
  }

  static List<JsonNode> readLines(Path file) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      rows.add(json.readTree(l));
    }
    return rows;
  }

  @Test
  void selectionsBecomeTrainingFilesInPickOrder(SparkSession spark, @TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String[] t : TEXTS) {
      lines.add(json.writeValueAsString(Map.of("prompt", t[0], "chosen", t[1], "rejected", t[2])));
    }
    Path in = dir.resolve("pairs.jsonl");
    Files.write(in, lines, StandardCharsets.UTF_8);
    String d = dir.toString() + "/";
    run("embed", "--input", in.toString(), "--output", d + "pool", "--keep-text", "--seed", "4");
    run("embed", "--input", in.toString(), "--output", d + "bare", "--seed", "4");
    run("select", "--input", d + "pool", "--output", d + "sel", "--algorithm", "dopt", "--budget", "5");
    run("select", "--input", d + "bare", "--output", d + "bare-sel", "--algorithm", "dopt", "--budget", "5");

    String said = run("embed", "export", "--selection", d + "sel", "--output", d + "train.jsonl");
    assertTrue(said.contains("text from the pool (--keep-text)"), said);
    assertTrue(said.contains("datasets.load_dataset(\"json\", data_files=\"" + d + "train.jsonl\", split=\"train\")"),
        said);
    String joined = run("embed", "export", "--selection", d + "bare-sel", "--output", d + "joined.jsonl", "--input",
        in.toString());
    assertTrue(joined.contains("text from " + in + " joined by id"), joined);
    run("embed", "export", "--selection", d + "sel", "--output", d + "train.parquet");

    List<Row> picks = spark.read().parquet(d + "sel/selection").orderBy("rank").collectAsList();
    List<JsonNode> train = readLines(dir.resolve("train.jsonl"));
    assertEquals(5, train.size());
    assertEquals(train, readLines(dir.resolve("joined.jsonl")), "the same pairs with the text joined by id");
    List<Row> parquet = spark.read().parquet(d + "train.parquet").collectAsList();
    assertEquals(List.of("prompt", "chosen", "rejected", "id", "rank", "gain"),
        List.of(spark.read().parquet(d + "train.parquet").columns()));
    for (int k = 0; k < 5; k++) {
      JsonNode t = train.get(k);
      int id = (int) picks.get(k).getLong(picks.get(k).fieldIndex("id"));
      assertEquals(id, t.get("id").asInt(), "pick order");
      assertEquals(k + 1, t.get("rank").asInt());
      assertEquals(picks.get(k).getDouble(picks.get(k).fieldIndex("gain")), t.get("gain").asDouble(), 0.0);
      // select keeps the file's own label, so the file's chosen response is the chosen one
      assertEquals(TEXTS[id][0], t.get("prompt").asText());
      assertEquals(TEXTS[id][1], t.get("chosen").asText());
      assertEquals(TEXTS[id][2], t.get("rejected").asText());
      Row p = parquet.get(k);
      assertEquals(List.of(t.get("prompt").asText(), t.get("chosen").asText(), t.get("rejected").asText(),
          (long) id, (long) k + 1), List.of(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4)));
    }
  }

  @Test
  void onlineLabelsThatDisagreeWithTheFileSwapTheExportedPair(SparkSession spark, @TempDir Path dir)
      throws Exception {
    List<String> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < TEXTS.length; i++) {
      lines.add(json.writeValueAsString(Map.of("uid", "q" + i, "prompt", TEXTS[i][0], "chosen", TEXTS[i][1],
          "rejected", TEXTS[i][2])));
    }
    Path in = dir.resolve("pairs.jsonl");
    Files.write(in, lines, StandardCharsets.UTF_8);
    String d = dir.toString() + "/";
    run("embed", "--input", in.toString(), "--output", d + "pool", "--column", "id=uid", "--seed", "9");
    run("online", "init", "--pool", d + "pool", "--state", d + "state", "--algorithm", "adpo", "--budget", "4");
    run("online", "next", "--state", d + "state", "--batch", "4");
    List<Row> queries = spark.read().option("header", "true").option("escape", "\"").option("multiLine", "true").csv(d + "state/queries/round-1").collectAsList();
    assertEquals(4, queries.size());
    // people prefer the file's rejected response for the first two queries and agree with the file otherwise
    Map<String, Boolean> y1Chosen = new HashMap<>();
    for (Row r : spark.read().parquet(d + "pool").select("id", "y1_is_chosen").collectAsList()) {
      y1Chosen.put(r.getString(0), r.getBoolean(1));
    }
    List<String> labels = new ArrayList<>(List.of("id,s"));
    Map<String, Boolean> flipped = new HashMap<>();
    for (Row q : queries) {
      String id = q.getAs("id");
      boolean flip = flipped.size() < 2;
      flipped.put(id, flip);
      boolean preferY1 = y1Chosen.get(id) != flip; // y1 is preferred when it is the response people prefer
      labels.add(id + "," + (preferY1 ? 1 : 0));
    }
    Files.write(dir.resolve("labels.csv"), labels, StandardCharsets.UTF_8);
    run("online", "ingest", "--state", d + "state", "--labels", d + "labels.csv");
    run("online", "export", "--state", d + "state", "--output", d + "labelled");
    run("embed", "export", "--selection", d + "labelled", "--output", d + "train.jsonl", "--input", in.toString(),
        "--column", "id=uid");

    List<JsonNode> train = readLines(dir.resolve("train.jsonl"));
    assertEquals(4, train.size());
    List<Row> order = spark.read().parquet(d + "labelled/selection").orderBy(functions.col("rank")).collectAsList();
    for (int k = 0; k < 4; k++) {
      JsonNode t = train.get(k);
      String id = t.get("id").asText();
      assertEquals(order.get(k).<String>getAs("id"), id, "pick order");
      assertEquals(1, t.get("round").asInt());
      int i = Integer.parseInt(id.substring(1));
      boolean flip = flipped.get(id);
      assertEquals(TEXTS[i][flip ? 2 : 1], t.get("chosen").asText(), "id " + id);
      assertEquals(TEXTS[i][flip ? 1 : 2], t.get("rejected").asText(), "id " + id);
      assertEquals(TEXTS[i][0], t.get("prompt").asText());
    }
  }
}
