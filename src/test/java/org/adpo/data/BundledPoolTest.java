package org.adpo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The committed data/fashion-mnist-pairs is exactly what the generator makes from the train split. */
@ExtendWith(SparkSessionExtension.class)
class BundledPoolTest {
  @Test
  void committedPoolMatchesARegeneration(SparkSession spark) throws IOException {
    assertTrue(Files.exists(BundledPool.TRAIN_IMAGES),
        "the Debian package dataset-fashion-mnist must be installed (.ci/run installs it)");
    Path committed = BundledPool.projectDir().resolve(BundledPool.RELATIVE_DIR);
    assertTrue(Files.isDirectory(committed), "missing " + committed);
    try (var files = Files.list(committed)) {
      List<String> parquet = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).toList();
      assertEquals(1, parquet.size(), parquet.toString());
    }

    PairPool pool = PreferencePairs.generate(BundledPool.TRAIN_IMAGES, BundledPool.TRAIN_LABELS,
        PreferencePairs.Params.bundled());
    assertEquals(4096, pool.size());
    assertEquals(64, pool.dim());

    List<Row> rows = spark.read().parquet(committed.toString()).orderBy("id").collectAsList();
    assertEquals(pool.size(), rows.size());
    for (int i = 0; i < pool.size(); i++) {
      Row r = rows.get(i);
      String at = "row " + i;
      assertEquals(i, r.getLong(r.fieldIndex("id")), at);
      List<Float> phi = r.getList(r.fieldIndex("phi"));
      float[] got = new float[phi.size()];
      for (int j = 0; j < got.length; j++) {
        got[j] = phi.get(j);
      }
      assertArrayEquals(pool.phi(i), got, at);
      assertEquals(pool.s(i), r.getInt(r.fieldIndex("s")), at);
      assertEquals(pool.posIndex(i), r.getInt(r.fieldIndex("pos_index")), at);
      assertEquals(pool.negIndex(i), r.getInt(r.fieldIndex("neg_index")), at);
      // b depends on the Newton fit through theta_0; allow for round-off should the solver change.
      double b = pool.b(i);
      assertEquals(b, r.getDouble(r.fieldIndex("b")), 1e-9 * (1 + Math.abs(b)), at);
    }
  }
}
