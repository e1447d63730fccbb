package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.adpo.data.ColumnNames;
import org.adpo.eval.EvaluationSettings;
import org.adpo.eval.MetricKernel;
import org.adpo.eval.MetricSums;
import org.adpo.eval.Metrics;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The distributed metric pass against a dense, in-test recomputation of SPEC.md's metrics. */
@ExtendWith(SparkSessionExtension.class)
class MetricPassTest {

  static EvaluationSettings settings(double beta, int partitions) {
    return new EvaluationSettings(beta, 1.0, List.of(), 50_000_000L, 500, 1e-9, partitions, ColumnNames.defaults());
  }

  /** The pool with every 7th label null (unlabelled rows count for logit errors and error rate only). */
  static Dataset<Row> frameWithGaps(SparkSession spark, Pools pool) {
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("phi", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("b", DataTypes.DoubleType, false)
        .add("s", DataTypes.IntegerType, true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      List<Double> v = new ArrayList<>();
      for (double x : pool.phi[i]) {
        v.add(x);
      }
      rows.add(RowFactory.create(pool.ids[i], v, pool.b[i], i % 7 == 3 ? null : pool.s[i]));
    }
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void equalsADenseRecomputation(SparkSession spark) {
    Pools pool = Pools.random(240, 5, 12, 21);
    double beta = 1.7;
    int d = 5;
    SplittableRandom rnd = new SplittableRandom(4);
    double[] star = new double[d];
    for (int j = 0; j < d; j++) {
      star[j] = rnd.nextGaussian();
    }
    double[][] thetas = new double[4][d];
    for (int k = 0; k < 3; k++) {
      for (int j = 0; j < d; j++) {
        thetas[k][j] = star[j] + rnd.nextGaussian() * (k + 0.2);
      }
    }
    thetas[3] = star.clone();

    LoadedPool loaded = PoolLoader.load(frameWithGaps(spark, pool), "test pool", settings(beta, 3).poolSettings());
    MetricSums sums;
    try {
      assertEquals(3, loaded.blocks().getNumPartitions());
      sums = MetricPass.run(loaded.blocks(), new MetricKernel(thetas, star, beta));
    } finally {
      loaded.release();
    }

    double[][] phi = pool.phiAsStored(); // the engine keeps phi as float32
    for (int k = 0; k < thetas.length; k++) {
      // Dense recomputation, straight from SPEC.md.
      double max = 0;
      double sumErr = 0;
      int disagree = 0;
      int labelled = 0;
      int correct = 0;
      double margin = 0;
      double nll = 0;
      for (int i = 0; i < pool.size(); i++) {
        double hat = -pool.b[i];
        double ref = -pool.b[i];
        double err = 0;
        for (int j = 0; j < d; j++) {
          hat += phi[i][j] * thetas[k][j];
          ref += phi[i][j] * star[j];
          err += phi[i][j] * (thetas[k][j] - star[j]);
        }
        max = Math.max(max, Math.abs(err));
        sumErr += Math.abs(err);
        if (Math.signum(hat) != Math.signum(ref)) {
          disagree++;
        }
        if (i % 7 != 3) {
          labelled++;
          double logit = beta * hat;
          int s = pool.s[i];
          if ((s == 1 && logit > 0) || (s == 0 && logit < 0)) {
            correct++;
          }
          margin += s == 1 ? logit : -logit;
          double p = 1 / (1 + Math.exp(-logit));
          nll -= s == 1 ? Math.log(p) : Math.log(1 - p);
        }
      }
      int n = pool.size();
      Metrics m = sums.metrics(k);
      assertEquals(n, m.rows());
      assertEquals(labelled, m.labelled());
      assertEquals(max, m.maxLogitError(), 1e-12, "theta " + k);
      assertEquals(sumErr / n, m.meanLogitError(), 1e-12);
      assertEquals(disagree / (double) n, m.errorRate(), 0.0);
      assertEquals(correct / (double) labelled, m.accuracy(), 0.0);
      assertEquals(margin / labelled, m.margin(), 1e-12);
      assertEquals(nll / labelled, m.nll(), 1e-12);
    }
    assertEquals(0.0, sums.metrics(3).maxLogitError());
    assertEquals(0.0, sums.metrics(3).errorRate());
  }
}
