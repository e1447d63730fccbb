package org.adpo.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Random pools for tests: ids, phi, b, s (Bernoulli under a known theta), weight; with duplicates. */
public final class Pools {
  public final long[] ids;
  public final double[][] phi;
  public final double[] b;
  public final int[] s;
  public final double[] weight;
  public final double[] thetaTrue;

  private Pools(long[] ids, double[][] phi, double[] b, int[] s, double[] weight, double[] thetaTrue) {
    this.ids = ids;
    this.phi = phi;
    this.b = b;
    this.s = s;
    this.weight = weight;
    this.thetaTrue = thetaTrue;
  }

  /**
   * n rows of dimension d; the last {@code duplicates} rows copy the phi (and b, weight) of earlier
   * rows under new ids, to force exact ties. Ids are shuffled so that id order differs from row order.
   */
  public static Pools random(int n, int d, int duplicates, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] theta = new double[d];
    for (int j = 0; j < d; j++) {
      theta[j] = rnd.nextGaussian() * 1.5;
    }
    double[][] phi = new double[n][d];
    double[] b = new double[n];
    int[] s = new int[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      int src = i >= n - duplicates ? rnd.nextInt(n - duplicates) : -1;
      for (int j = 0; j < d; j++) {
        phi[i][j] = src >= 0 ? phi[src][j] : rnd.nextGaussian() / Math.sqrt(d);
      }
      b[i] = src >= 0 ? b[src] : rnd.nextGaussian() * 0.3;
      w[i] = src >= 0 ? w[src] : 0.2 + rnd.nextDouble();
      double logit = -b[i];
      for (int j = 0; j < d; j++) {
        logit += phi[i][j] * theta[j];
      }
      s[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1000 + i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      long t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
    }
    return new Pools(ids, phi, b, s, w, theta);
  }

  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("phi", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("b", DataTypes.DoubleType, false)
      .add("s", DataTypes.IntegerType, false)
      .add("weight", DataTypes.DoubleType, false)
      .add("note", DataTypes.StringType, true);

  public Dataset<Row> frame(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      List<Double> v = new ArrayList<>();
      for (double x : phi[i]) {
        v.add(x);
      }
      rows.add(RowFactory.create(ids[i], v, b[i], s[i], weight[i], "row " + i));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** phi as the engine stores it: every element rounded to float32 (then widened back, exactly). */
  public double[][] phiAsStored() {
    double[][] out = new double[phi.length][];
    for (int i = 0; i < phi.length; i++) {
      out[i] = new double[phi[i].length];
      for (int j = 0; j < phi[i].length; j++) {
        out[i][j] = (float) phi[i][j];
      }
    }
    return out;
  }

  public int size() {
    return ids.length;
  }
}
