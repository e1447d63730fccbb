package org.adpo.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.adpo.data.PoolFormat;
import org.adpo.testing.SparkSessionExtension;
import org.adpo.error.BadInputException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job on a small triple file: one encoder per JVM, exact rows, atomic failure. */
@ExtendWith(SparkSessionExtension.class)
class EmbedJobTest {
  private static final String SECRET = "zebracorn";

  @Test
  void partitionsInOneJvmShareOneEncoder(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> ids = jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 4)
        .mapPartitions(it -> List.of(System.identityHashCode(MiniLm.encoder())).iterator())
        .collect();
    assertEquals(4, ids.size());
    assertEquals(1, new HashSet<>(ids).size(), "one encoder for all partitions: " + ids);
    assertEquals(1, MiniLm.created());
  }

  static String row(String prompt, String chosen, String rejected, double ref) {
    return String.format(java.util.Locale.ROOT,
        "{\"prompt\":\"%s\",\"chosen\":\"%s\",\"rejected\":\"%s\",\"ref\":%s,\"other\":1}", prompt, chosen, rejected,
        ref);
  }

  @Test
  void rowsAreTheDifferenceOfTheTwoSidesEmbeddings(SparkSession spark, @TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    String[][] texts = {
        {"What is the capital of France?", "Paris is the capital.", "I do not know."},
        {"Name a fruit.", "An apple.", "A chair."},
        {"How many legs does a spider have?", "Eight.", "Six."},
        {"Say hello.", "Hello!", "Go away."},
        {"Is water wet?", "Yes, in the everyday sense.", "Water is a planet."},
        {"Translate 'cat' to French.", "Chat.", "Hund."},
        {"Pick a colour.", "Blue.", "Seven."}};
    for (int i = 0; i < texts.length; i++) {
      lines.add(row(texts[i][0], texts[i][1], texts[i][2], 0.25 * (i + 1)));
      if (i == 2) {
        lines.add("   "); // a blank line is skipped but counts for the line numbers (ids)
      }
    }
    Path in = dir.resolve("pairs.jsonl");
    Files.write(in, lines, StandardCharsets.UTF_8);
    String out = dir.resolve("pool").toString();
    EmbedJob.Settings s = EmbedJob.Settings.of(in.toString(), 5, 3, "ref", PairParser.Layout.AUTO, -1, false);
    EmbedJob.Outcome r = EmbedJob.run(spark, s, out, PoolFormat.PARQUET, false);
    assertEquals(texts.length, r.rows());

    List<Row> pool = spark.read().parquet(out).collectAsList();
    assertEquals(texts.length, pool.size());
    MiniLmEncoder enc = MiniLm.encoder();
    Set<Integer> labels = new HashSet<>();
    for (Row row : pool) {
      long id = row.getLong(row.fieldIndex("id"));
      int i = (int) (id <= 2 ? id : id - 1);
      int label = row.getInt(row.fieldIndex("s"));
      assertEquals(PairSwap.label(5, id), label);
      labels.add(label);
      String y1 = label == 1 ? texts[i][1] : texts[i][2];
      String y2 = label == 1 ? texts[i][2] : texts[i][1];
      float[] e1 = enc.embed(texts[i][0], y1);
      float[] e2 = enc.embed(texts[i][0], y2);
      List<Double> phi = row.getList(row.fieldIndex("phi"));
      assertEquals(MiniLmEncoder.DIM, phi.size());
      for (int j = 0; j < phi.size(); j++) {
        assertEquals((double) e1[j] - e2[j], phi.get(j), 0.0, "id " + id + " coordinate " + j);
      }
      double ref = 0.25 * (i + 1);
      assertEquals(label == 1 ? ref : -ref, row.getDouble(row.fieldIndex("b")), 0.0);
      assertFalse(row.getBoolean(row.fieldIndex("truncated")));
    }
    assertEquals(Set.of(0, 1), labels, "with seed 5 both orientations occur among these ids");
    assertEquals(List.of("id", "phi", "b", "s", "truncated", "y1_is_chosen", "other"),
        List.of(spark.read().parquet(out).columns()), "the field 'other' passes through, 'ref' is read");
    for (Row row : pool) {
      assertEquals(row.getInt(row.fieldIndex("s")) == 1, row.getBoolean(row.fieldIndex("y1_is_chosen")));
      assertEquals(1L, row.getLong(row.fieldIndex("other")));
    }
  }

  @Test
  void badRowFailsNamingFileAndLineAndWritesNothing(SparkSession spark, @TempDir Path dir) throws IOException {
    Path in = dir.resolve("bad.jsonl");
    Files.write(in, List.of(row("p", "c", "r", 0), row("p", "c", "r", 0),
        "{\"prompt\":\"" + SECRET + "\", \"chosen\": ", row("p", "", "r", 0)), StandardCharsets.UTF_8);
    Path out = dir.resolve("pool");
    EmbedJob.Settings s = EmbedJob.Settings.of(in.toString(), 1, 2, null, PairParser.Layout.AUTO, -1, false);
    BadInputException e = assertThrows(BadInputException.class,
        () -> EmbedJob.run(spark, s, out.toString(), PoolFormat.PARQUET, false));
    assertTrue(e.getMessage().startsWith(in + " line 3: invalid JSON"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET));
    assertFalse(Files.exists(out));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary directory left");
    }
    // with --limit 2 the bad lines are not read
    EmbedJob.Settings first = EmbedJob.Settings.of(in.toString(), 1, 2, null, PairParser.Layout.AUTO, 2, false);
    assertEquals(2, EmbedJob.run(spark, first, out.toString(), PoolFormat.JSONL, false).rows());
    assertEquals(2, spark.read().json(out.toString()).count());
  }

  /** The same pairs as JSON Lines, as Parquet (chat messages as lists of structs) and as a JSON array. */
  @Test
  void parquetAndJsonArrayInputGiveTheSameRowsAsJsonLines(SparkSession spark, @TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    String[][] texts = {{"Name a fruit.", "An apple.", "A chair."}, {"Say hello.", "Hello!", "Go away."},
        {"Pick a colour.", "Blue.", "Seven."}, {"Is water wet?", "Yes.", "It is a planet."}};
    for (int i = 0; i < texts.length; i++) {
      lines.add(String.format(java.util.Locale.ROOT, "{\"key\":\"k%d\",\"score\":%d,\"chosen\":[{\"role\":\"user\","
          + "\"content\":\"%s\"},{\"role\":\"assistant\",\"content\":\"%s\"}],\"rejected\":[{\"role\":\"user\","
          + "\"content\":\"%s\"},{\"role\":\"assistant\",\"content\":\"%s\"}]}", i, i * 10, texts[i][0], texts[i][1],
          texts[i][0], texts[i][2]));
    }
    Path jsonl = dir.resolve("chat.jsonl");
    Files.write(jsonl, lines, StandardCharsets.UTF_8);
    Path array = dir.resolve("chat.json");
    Files.writeString(array, "[\n" + String.join(",\n", lines) + "\n]\n", StandardCharsets.UTF_8);
    Path parquet = dir.resolve("chat.parquet");
    spark.read().json(jsonl.toString()).coalesce(1).write().parquet(parquet.toString());

    PairParser.Columns byKey = PairParser.Columns.defaults().with("id", "key");
    List<List<Row>> pools = new ArrayList<>();
    for (Path in : List.of(jsonl, array, parquet)) {
      EmbedJob.Settings s = new EmbedJob.Settings(in.toString(), 3, 2, PairParser.Layout.AUTO, byKey, -1, true, true);
      String out = dir.resolve("pool-" + in.getFileName()).toString();
      EmbedJob.Outcome r = EmbedJob.run(spark, s, out, PoolFormat.PARQUET, false);
      assertEquals(texts.length, r.rows());
      assertEquals(PairParser.Layout.CHAT, r.layout().layout());
      Row[] rows = (Row[]) spark.read().parquet(out).orderBy("id").collect();
      assertEquals(List.of("id", "phi", "b", "s", "truncated", "y1_is_chosen", "chosen_prompt", "chosen",
          "rejected_prompt", "rejected", "score"), List.of(rows[0].schema().fieldNames()), in.toString());
      pools.add(List.of(rows));
    }
    MiniLmEncoder enc = MiniLm.encoder();
    for (int i = 0; i < texts.length; i++) {
      Row row = pools.get(0).get(i);
      assertEquals("k" + i, row.getString(0), "the id field's value is the id");
      assertEquals(10L * i, row.getLong(row.fieldIndex("score")));
      assertEquals(texts[i][0], row.getString(row.fieldIndex("chosen_prompt")));
      assertEquals(texts[i][1], row.getString(row.fieldIndex("chosen")));
      int label = row.getInt(row.fieldIndex("s"));
      assertEquals(PairSwap.label(3, i), label, "the swap hashes the record index");
      float[] e1 = enc.embed(texts[i][0], texts[i][label == 1 ? 1 : 2]);
      float[] e2 = enc.embed(texts[i][0], texts[i][label == 1 ? 2 : 1]);
      List<Double> phi = row.getList(row.fieldIndex("phi"));
      for (int j = 0; j < phi.size(); j++) {
        assertEquals((double) e1[j] - e2[j], phi.get(j), 0.0, "row " + i + " coordinate " + j);
      }
      assertEquals(row, pools.get(1).get(i), "JSON array row " + i);
      assertEquals(row, pools.get(2).get(i), "Parquet row " + i);
    }
  }
}
