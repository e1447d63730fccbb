package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.adpo.model.Logistic;
import org.adpo.select.SeededHash;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Seeded random pools of any size, generated inside the executors (nothing large is shipped from
 * the driver): phi_i ~ N(0, I/d) in float32, b_i ~ N(0, 0.3^2), s_i ~ Bernoulli(mu(phi_i . theta - b_i)) with
 * theta ~ N(0, 1.5^2 I) drawn from the seed. Row i depends only on (seed, i), so a pool is the same
 * whatever its partitioning. For benchmarks and scale tests.
 */
public final class SyntheticPool {
  private SyntheticPool() {}

  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("phi", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("b", DataTypes.DoubleType, false)
      .add("s", DataTypes.IntegerType, false);

  /** The theta the labels are drawn from. */
  public static double[] theta(int d, long seed) {
    SplittableRandom r = new SplittableRandom(SeededHash.mix(seed ^ 0x5eedL));
    double[] t = new double[d];
    for (int j = 0; j < d; j++) {
      t[j] = 1.5 * r.nextGaussian();
    }
    return t;
  }

  public static Dataset<Row> generate(SparkSession spark, long rows, int d, long seed, int partitions) {
    double[] theta = theta(d, seed);
    MapPartitionsFunction<Long, Row> rowsOf = ids -> {
      List<Row> out = new ArrayList<>();
      while (ids.hasNext()) {
        out.add(row(ids.next(), d, seed, theta));
      }
      return out.iterator();
    };
    return spark.range(0, rows, 1, partitions).as(org.apache.spark.sql.Encoders.LONG())
        .mapPartitions(rowsOf, org.apache.spark.sql.Encoders.row(SCHEMA));
  }

  /**
   * Writes the phi of the same rows as raw little-endian float32, row-major in id order, one file per
   * partition ({@code dir/part-NNNNN.f32}, partitions holding consecutive id ranges), so that a
   * program without a Parquet reader (the numpy benchmark anchor) reads exactly the pool's features.
   */
  public static void dumpRaw(SparkSession spark, long rows, int d, long seed, int partitions, String dir) {
    double[] theta = theta(d, seed);
    java.io.File out = new java.io.File(dir);
    if (!out.mkdirs() && !out.isDirectory()) {
      throw new IllegalStateException("cannot create " + dir);
    }
    spark.range(0, rows, 1, partitions).javaRDD().foreachPartition(ids -> {
      int part = org.apache.spark.TaskContext.getPartitionId();
      java.nio.file.Path file = java.nio.file.Path.of(dir, String.format(java.util.Locale.ROOT, "part-%05d.f32", part));
      try (java.io.OutputStream os = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file), 1 << 20)) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 * d).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (ids.hasNext()) {
          float[] phi = (float[]) row(ids.next(), d, seed, theta).get(1);
          buf.clear();
          buf.asFloatBuffer().put(phi);
          os.write(buf.array(), 0, 4 * d);
        }
      }
    });
  }

  static Row row(long id, int d, long seed, double[] theta) {
    SplittableRandom r = new SplittableRandom(SeededHash.key(seed, 1, id));
    float[] phi = new float[d]; // float32 like embeddings; a Java array: the row encoder takes arrays
    double dot = 0;
    double scale = 1.0 / Math.sqrt(d);
    for (int j = 0; j < d; j++) {
      float x = (float) (r.nextGaussian() * scale);
      phi[j] = x;
      dot += x * theta[j];
    }
    double b = 0.3 * r.nextGaussian();
    int s = r.nextDouble() < Logistic.sigmoid(dot - b) ? 1 : 0;
    return RowFactory.create(id, phi, b, s);
  }

}
