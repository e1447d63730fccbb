package org.adpo.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.adpo.data.PoolFormat;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code embed} writes, value by value, in each pool format: the id field's values, the text
 * columns and the pass-through fields (quotes, commas, line breaks, backslashes, non-ASCII, spaces)
 * equal the input records as this test made them, b and s follow the pair's orientation, and phi
 * equals emb(prompt, y1) - emb(prompt, y2) from the encoder called here. JSON Lines is read with
 * Jackson line by line, CSV with a test-side RFC 4180 parser, Parquet with Spark's reader.
 */
@ExtendWith(SparkSessionExtension.class)
class EmbedOutputContentsTest {
  private static final long SEED = 11;
  private static final String[] HARD = {
      "he said \"hi\", then left",
      "two\nlines,\r\nand a third",
      "ünïcødé — 日本語 🙂",
      "back\\slash, \"quoted\\\"\"",
      "  padded with spaces  "};

  @Test
  void everyFormatKeepsIdsTextsPassThroughFieldsAndVectors(SparkSession spark, @TempDir Path dir) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    List<Map<String, Object>> input = new ArrayList<>();
    for (int i = 0; i < HARD.length; i++) {
      Map<String, Object> rec = new java.util.LinkedHashMap<>();
      rec.put("uid", "id," + i + " \"" + HARD[(i + 2) % HARD.length].substring(0, 3) + "\"");
      rec.put("prompt", "Question " + i + ": " + HARD[i]);
      rec.put("chosen", "A good answer; " + HARD[(i + 1) % HARD.length]);
      rec.put("rejected", "A bad answer, " + HARD[(i + 3) % HARD.length]);
      rec.put("ref", 0.125 * (i + 1) - 0.3);
      rec.put("note", HARD[(i + 4) % HARD.length]);
      rec.put("count", 1000L * i - 7);
      input.add(rec);
      lines.add(json.writeValueAsString(rec));
    }
    Path in = dir.resolve("pairs.jsonl");
    Files.write(in, lines, StandardCharsets.UTF_8);
    PairParser.Columns columns = PairParser.Columns.defaults().with("id", "uid").with("reference", "ref");
    MiniLmEncoder enc = MiniLm.encoder();
    // The pool's own columns, the text columns, then the pass-through fields (by name: RecordStats keeps them sorted).
    List<String> expectedColumns = List.of("id", "phi", "b", "s", "truncated", "y1_is_chosen", "chosen_prompt",
        "chosen", "rejected_prompt", "rejected", "count", "note");
    for (PoolFormat format : new PoolFormat[] {PoolFormat.PARQUET, PoolFormat.JSONL, PoolFormat.CSV}) {
      EmbedJob.Settings s = new EmbedJob.Settings(in.toString(), SEED, 2, PairParser.Layout.AUTO, columns, -1, true,
          true);
      Path out = dir.resolve("pool-" + format.name());
      EmbedJob.Outcome r = EmbedJob.run(spark, s, out.toString(), format, false);
      assertEquals(HARD.length, r.rows());
      List<Map<String, Object>> rows = read(spark, out, format, expectedColumns);
      assertEquals(HARD.length, rows.size(), format.name());
      for (int i = 0; i < HARD.length; i++) {
        Map<String, Object> rec = input.get(i);
        Map<String, Object> row = rows.get(i); // written in record order
        String at = format.name() + " record " + i;
        assertEquals(rec.get("uid"), row.get("id"), at);
        int label = PairSwap.label(SEED, i);
        assertEquals((long) label, row.get("s"), at);
        assertEquals(label == 1, row.get("y1_is_chosen"), at);
        assertEquals(false, row.get("truncated"), at);
        double ref = (Double) rec.get("ref");
        assertEquals(label == 1 ? ref : -ref, (Double) row.get("b"), 0.0, at);
        assertEquals(rec.get("prompt"), row.get("chosen_prompt"), at);
        assertEquals(rec.get("prompt"), row.get("rejected_prompt"), at);
        assertEquals(rec.get("chosen"), row.get("chosen"), at);
        assertEquals(rec.get("rejected"), row.get("rejected"), at);
        assertEquals(rec.get("note"), row.get("note"), at);
        assertEquals(rec.get("count"), row.get("count"), at);
        String p = (String) rec.get("prompt");
        String y1 = (String) rec.get(label == 1 ? "chosen" : "rejected");
        String y2 = (String) rec.get(label == 1 ? "rejected" : "chosen");
        float[] e1 = enc.embed(p, y1);
        float[] e2 = enc.embed(p, y2);
        @SuppressWarnings("unchecked")
        List<Double> phi = (List<Double>) row.get("phi");
        assertEquals(MiniLmEncoder.DIM, phi.size(), at);
        for (int j = 0; j < phi.size(); j++) {
          assertEquals((double) e1[j] - e2[j], phi.get(j), 0.0, at + " coordinate " + j);
        }
      }
    }
  }

  /** The pool's rows in file order as maps of plain values (Long, Double, Boolean, String, List of Double). */
  private static List<Map<String, Object>> read(SparkSession spark, Path out, PoolFormat format, List<String> columns)
      throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (format == PoolFormat.PARQUET) {
      org.apache.spark.sql.Dataset<Row> df = spark.read().parquet(out.toString());
      assertEquals(columns, List.of(df.columns()));
      for (Row row : df.collectAsList()) {
        Map<String, Object> m = new HashMap<>();
        for (String c : columns) {
          Object v = row.getAs(c);
          if (v instanceof scala.collection.Seq<?> || v instanceof java.util.List<?>) {
            v = new ArrayList<>(row.getList(row.fieldIndex(c)));
          } else if (v instanceof Integer x) {
            v = (long) x;
          }
          m.put(c, v);
        }
        rows.add(m);
      }
      return rows;
    }
    List<Path> parts;
    try (Stream<Path> files = Files.list(out)) {
      parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    ObjectMapper json = new ObjectMapper();
    for (Path part : parts) {
      String text = Files.readString(part, StandardCharsets.UTF_8);
      if (format == PoolFormat.JSONL) {
        for (String line : text.split("\n")) {
          if (line.isEmpty()) {
            continue;
          }
          JsonNode n = json.readTree(line);
          List<String> names = new ArrayList<>();
          n.fieldNames().forEachRemaining(names::add);
          assertEquals(columns, names, line);
          Map<String, Object> m = new HashMap<>();
          for (String c : columns) {
            m.put(c, plain(n.get(c)));
          }
          rows.add(m);
        }
      } else {
        List<List<String>> records = csv(text);
        assertEquals(columns, records.get(0), part.toString());
        for (List<String> rec : records.subList(1, records.size())) {
          assertEquals(columns.size(), rec.size(), rec.toString());
          Map<String, Object> m = new HashMap<>();
          for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c);
            String cell = rec.get(c);
            Object v;
            switch (name) {
              case "phi": v = plain(json.readTree(cell)); break;
              case "b": v = Double.parseDouble(cell); break;
              case "s": case "count": v = Long.parseLong(cell); break;
              case "truncated": case "y1_is_chosen": v = Boolean.parseBoolean(cell); break;
              default: v = cell;
            }
            m.put(name, v);
          }
          rows.add(m);
        }
      }
    }
    return rows;
  }

  private static Object plain(JsonNode n) {
    if (n.isArray()) {
      List<Double> out = new ArrayList<>();
      n.forEach(x -> out.add(x.doubleValue()));
      return out;
    }
    if (n.isIntegralNumber()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n.textValue();
  }

  /** RFC 4180: fields separated by commas, records by CRLF or LF; a quoted field may hold both, "" is a quote. */
  static List<List<String>> csv(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> rec = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            f.append('"');
            i += 2;
            continue;
          }
          quoted = false;
        } else {
          f.append(c);
        }
        i++;
        continue;
      }
      if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        rec.add(f.toString());
        f.setLength(0);
      } else if (c == '\n' || c == '\r') {
        rec.add(f.toString());
        f.setLength(0);
        records.add(rec);
        rec = new ArrayList<>();
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
      } else {
        f.append(c);
      }
      i++;
    }
    if (f.length() > 0 || !rec.isEmpty()) {
      rec.add(f.toString());
      records.add(rec);
    }
    return records;
  }
}
