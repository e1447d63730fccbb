package org.adpo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.adpo.error.UsageException;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkSessionExtension.class)
class PairPoolWriterTest {
  @TempDir Path dir;

  /** A small synthetic pool: 6 images of 2x2, classes 0/1. */
  static PairPool smallPool(int pairs) {
    byte[] px = {
      0, 10, 20, 30,
      (byte) 255, 0, 5, 7,
      9, 9, 9, 9,
      1, 2, 3, 4,
      (byte) 200, 100, 50, 25,
      60, 70, 80, 90
    };
    IdxImages images = IdxImages.of(6, 2, 2, px);
    int[] labels = {0, 1, 0, 1, 1, 0};
    return PreferencePairs.generate(images, labels, new PreferencePairs.Params(pairs, 3, 5, 1, 1.0));
  }

  /** Writes as make-pool does: through a claimed output target. */
  static void write(SparkSession spark, PairPool pool, Path out, boolean overwrite) {
    try (org.adpo.io.OutputTarget t = org.adpo.io.OutputTarget.claim(spark.sparkContext().hadoopConfiguration(),
        out.toString(), overwrite, "make-pool", List.of())) {
      t.commit((fs, tmp) -> PairPoolWriter.writeInto(spark, pool, fs, tmp));
    }
  }

  static List<String> listNames(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void writesOneReadableParquetFileAtomically(SparkSession spark) throws IOException {
    PairPool pool = smallPool(40);
    Path out = dir.resolve("pool");
    write(spark, pool, out, false);

    assertEquals(List.of("pool"), listNames(dir), "temporary directory left behind");
    List<String> files = listNames(out);
    assertEquals(1, files.stream().filter(n -> n.endsWith(".parquet")).count(), files.toString());
    assertTrue(files.stream().noneMatch(n -> n.endsWith(".crc")), files.toString());

    Dataset<Row> df = spark.read().parquet(out.toString());
    StructType schema = df.schema();
    assertEquals(List.of("id", "phi", "b", "s", "pos_index", "neg_index"), List.of(schema.fieldNames()));
    assertEquals(DataTypes.LongType, schema.apply("id").dataType());
    assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false).simpleString(),
        schema.apply("phi").dataType().simpleString());
    assertEquals(DataTypes.DoubleType, schema.apply("b").dataType());
    assertEquals(DataTypes.IntegerType, schema.apply("s").dataType());
    assertEquals(DataTypes.IntegerType, schema.apply("pos_index").dataType());
    assertEquals(DataTypes.IntegerType, schema.apply("neg_index").dataType());

    List<Row> rows = df.collectAsList(); // one file: stored order
    assertEquals(pool.size(), rows.size());
    for (int i = 0; i < pool.size(); i++) {
      Row r = rows.get(i);
      assertEquals(i, r.getLong(0));
      List<Float> phi = r.getList(1);
      float[] got = new float[phi.size()];
      for (int j = 0; j < got.length; j++) {
        got[j] = phi.get(j);
      }
      assertArrayEquals(pool.phi(i), got);
      assertEquals(pool.b(i), r.getDouble(2));
      assertEquals(pool.s(i), r.getInt(3));
      assertEquals(pool.posIndex(i), r.getInt(4));
      assertEquals(pool.negIndex(i), r.getInt(5));
    }
  }

  @Test
  void refusesANonEmptyOutputUnlessOverwriting(SparkSession spark) throws IOException {
    Path out = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(out.resolve("keep.txt"), "x");
    assertThrows(UsageException.class, () -> write(spark, smallPool(4), out, false));
    assertEquals(List.of("keep.txt"), listNames(out));
    assertEquals(List.of("taken"), listNames(dir));
    // --overwrite replaces only an output this tool wrote: keep.txt's directory is not one.
    UsageException foreign = assertThrows(UsageException.class, () -> write(spark, smallPool(4), out, true));
    assertTrue(foreign.getMessage().contains("replaces only an output of adpo-spark"), foreign.getMessage());
    assertEquals(List.of("keep.txt"), listNames(out));

    Path ours = dir.resolve("ours");
    write(spark, smallPool(5), ours, false);
    write(spark, smallPool(4), ours, true);
    assertEquals(4, spark.read().parquet(ours.toString()).count());
    assertEquals(List.of("ours", "taken"), listNames(dir));

    Path empty = Files.createDirectories(dir.resolve("empty"));
    write(spark, smallPool(3), empty, false);
    assertEquals(3, spark.read().parquet(empty.toString()).count());
  }

  @Test
  void leavesNothingWhenTheWriteFails(SparkSession spark) throws IOException {
    PairPool good = smallPool(4);
    // Inconsistent pool (fewer labels than rows): building the rows fails inside the Spark job.
    PairPool broken = new PairPool(good.params(), good.positiveClass(), good.pixelPositions(), good.phi(),
        good.b(), new int[] {1}, good.posIndex(), good.negIndex(), good.thetaBar(), good.theta0(), 1);
    Path out = dir.resolve("never");
    assertThrows(RuntimeException.class, () -> write(spark, broken, out, false));
    assertEquals(List.of(), listNames(dir));
  }
}
