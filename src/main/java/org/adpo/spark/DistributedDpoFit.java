package org.adpo.spark;

import java.util.Collections;
import java.util.Iterator;
import java.util.function.Function;
import org.adpo.model.DifferentiableFunction;
import org.adpo.model.DpoObjective;
import org.adpo.model.FitResult;
import org.adpo.model.Lbfgs;
import org.adpo.model.NewtonFit;
import org.adpo.model.PenalizedDpoLoss;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Fits theta_hat = argmin L(theta) + (lambda/2)||theta||^2 (SPEC.md) on an RDD of labelled blocks
 * with {@link Lbfgs} (then {@link NewtonFit}'s steps where L-BFGS is slow), and computes the Fisher Hessian for
 * Sigma_hat.
 *
 * <p>Every evaluation is one Spark job: theta is broadcast (never captured in a closure), each
 * partition sums its loss and gradient into one double[d + 1], the partials are combined by
 * {@code treeReduce} (depth 2; small partials are instead added on the driver in partition order, so
 * theta is the same bit for bit whatever order tasks finish in), and the broadcast is destroyed afterwards, also on failure. The
 * L2 term is added on the driver. The job description names the evaluation
 * ("theta fit: evaluation 7"); the caller's description is restored afterwards.
 * The caller should cache the RDD: it is scanned once per evaluation.
 */
final class DistributedDpoFit {
  private static final int TREE_DEPTH = 2;
  /** Partials up to this size in all are summed on the driver in partition order. */
  private static final long DRIVER_SUM_BYTES = 64L << 20;
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private DistributedDpoFit() {}

  /**
   * Spark conf {@value #DRIVER_FIT_KEY} (or the same JVM system property without the {@code spark.}
   * prefix): a labelled set of at most this many values (rows times d) is collected to the driver in
   * one job and fitted there ({@link #fitOnDriverOrCluster}); 0 = always distributed. Default
   * {@value #DRIVER_FIT_DEFAULT} (8 bytes a value).
   */
  public static final String DRIVER_FIT_KEY = "spark.adpo.fit.driver-max-values";
  static final long DRIVER_FIT_DEFAULT = 16_000_000L;
  /** Up to this d the driver fit is dense Newton (a d x d Cholesky per step), above it L-BFGS. */
  static final int NEWTON_MAX_D = 1024;
  /** L-BFGS iterations of a distributed fit before it turns to Newton ({@link #lbfgsThenNewton}). */
  static final int LBFGS_BEFORE_NEWTON = 50;

  /**
   * The theta fit of a selection run: a small labelled set ({@code rows * d} at most the
   * {@value #DRIVER_FIT_KEY} setting) is collected in partition order and fitted on the driver (dense
   * Newton for d up to {@value #NEWTON_MAX_D}, like the small prefix fits of {@code evaluate}, else
   * L-BFGS on the driver): one Spark job instead of one per evaluation. A larger set is fitted on the
   * partitions ({@link #lbfgsThenNewton}). All minimise the same objective to the same gradient tolerance; the
   * result is deterministic (it does not depend on task order).
   *
   * @param rows the number of labelled rows
   */
  public static FitResult fitOnDriverOrCluster(JavaRDD<LabelledBlock> data, long rows, int d, double beta,
      double lambda, int maxIterations, double tolerance) {
    org.apache.spark.SparkContext sc = data.context();
    long limit = EngineSetting.longOf(sc, DRIVER_FIT_KEY, DRIVER_FIT_DEFAULT);
    if (rows * (long) d > limit || rows * (long) d > Integer.MAX_VALUE - 8) {
      return lbfgsThenNewton(data, d, beta, lambda, maxIterations, tolerance);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    String previous = jsc.getLocalProperty(JOB_DESCRIPTION);
    java.util.List<LabelledBlock> blocks;
    try {
      jsc.setJobDescription("theta fit: collect " + rows + " labelled rows to the driver");
      blocks = data.collect(); // partition order
    } finally {
      jsc.setLocalProperty(JOB_DESCRIPTION, previous);
    }
    int n = 0;
    for (LabelledBlock b : blocks) {
      n += checked(b, d).rows();
    }
    double[] phi = new double[n * d];
    double[] b = new double[n];
    double[] s = new double[n];
    int at = 0;
    for (LabelledBlock blk : blocks) {
      System.arraycopy(blk.phi(), 0, phi, at * d, blk.rows() * d);
      System.arraycopy(blk.b(), 0, b, at, blk.rows());
      System.arraycopy(blk.s(), 0, s, at, blk.rows());
      at += blk.rows();
    }
    if (d <= NEWTON_MAX_D) {
      return NewtonFit.fit(phi, n, d, b, s, beta, lambda, maxIterations, tolerance);
    }
    Lbfgs optimizer = new Lbfgs().withMaxIterations(maxIterations).withGradientTolerance(tolerance);
    return optimizer.minimize(new PenalizedDpoLoss(phi, n, d, b, s, beta, lambda), new double[d]);
  }

  /** Fit from theta = 0 with a default {@link Lbfgs} of the given iteration cap and gradient tolerance. */
  public static FitResult fit(
      JavaRDD<LabelledBlock> data, int d, double beta, double lambda, int maxIterations, double tolerance) {
    Lbfgs optimizer = new Lbfgs().withMaxIterations(maxIterations).withGradientTolerance(tolerance)
        .withListener(new FitProgress("theta fit")); // a line every few seconds of a long fit
    return fit(data, d, beta, lambda, optimizer, new double[d]);
  }

  /** Fit from {@code theta0} (e.g. a warm start from the previous refit) with the given optimiser. */
  public static FitResult fit(
      JavaRDD<LabelledBlock> data, int d, double beta, double lambda, Lbfgs optimizer, double[] theta0) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("lambda must be > 0, got " + lambda);
    }
    if (theta0.length != d) {
      throw new IllegalArgumentException("theta0 has " + theta0.length + " entries, need d = " + d);
    }
    DifferentiableFunction objective = objective(data, d, beta, lambda);
    return optimizer.minimize(objective, theta0);
  }

  /**
   * The distributed fit of a large labelled set: L-BFGS (one pass per evaluation) for at most {@value
   * #LBFGS_BEFORE_NEWTON} iterations, which is enough where the features are well conditioned; if it has not
   * converged by then, Newton from where it stopped (one Hessian pass per step, converging in a few steps from
   * there where L-BFGS would take hundreds of passes on ill-conditioned features, such as pixels). Newton is used
   * only for d up to {@value #NEWTON_MAX_D} and when the partitions' d x d partials can be added in partition
   * order on the driver (at most {@code DRIVER_SUM_BYTES} in all), so theta stays the same bit for bit whatever
   * order tasks finish in; otherwise L-BFGS runs on to {@code maxIterations}.
   */
  static FitResult lbfgsThenNewton(JavaRDD<LabelledBlock> data, int d, double beta, double lambda,
      int maxIterations, double tolerance) {
    boolean newton = d <= NEWTON_MAX_D
        && (long) data.getNumPartitions() * d * d * Double.BYTES <= DRIVER_SUM_BYTES;
    if (!newton || maxIterations <= LBFGS_BEFORE_NEWTON) {
      return fit(data, d, beta, lambda, maxIterations, tolerance);
    }
    FitResult first = fit(data, d, beta, lambda, LBFGS_BEFORE_NEWTON, tolerance);
    if (first.converged()) {
      return first;
    }
    ProgressLog.info("theta fit: not converged after " + first.iterations() + " L-BFGS iterations (gradient norm "
        + String.format(java.util.Locale.ROOT, "%.3g", first.gradientNorm()) + "); Newton steps from there");
    FitResult then = NewtonFit.fit(objective(data, d, beta, lambda), theta -> fisherHessian(data, d, beta, theta),
        first.theta(), lambda, maxIterations - first.iterations(), tolerance, new FitProgress("theta fit (Newton)"),
        first.evaluations());
    return new FitResult(then.theta(), first.iterations() + then.iterations(), then.evaluations(), then.loss(),
        then.gradientNorm(), then.converged(), org.adpo.model.FitTrace.concat(first.trace(), then.trace()));
  }

  /** L(theta) + (lambda/2)||theta||^2 and its gradient, one Spark job per evaluation. */
  private static DifferentiableFunction objective(JavaRDD<LabelledBlock> data, int d, double beta, double lambda) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
    FaultInjection inject = FaultInjection.of(data.context()); // test-only, null normally
    int[] evaluation = {0};
    return (theta, gradOut) -> {
      evaluation[0]++;
      double[] sums = runJob(sc, data, theta, "theta fit: evaluation " + evaluation[0],
          bc -> data.mapPartitions(blocks -> {
            if (inject != null) {
              inject.check("fit");
            }
            return lossAndGradient(blocks, bc, d, beta);
          }), d + 1);
      double sq = 0.0;
      for (int j = 0; j < d; j++) {
        gradOut[j] = sums[j] + lambda * theta[j];
        sq += theta[j] * theta[j];
      }
      return sums[d] + 0.5 * lambda * sq;
    };
  }

  /**
   * sum_i beta^2 w_i phi_i phi_i^T over all rows, d x d row-major (no lambda I). One Spark job;
   * each partition holds a d x d partial sum, so memory is O(d^2) per task and per reduce step.
   */
  public static double[] fisherHessian(JavaRDD<LabelledBlock> data, int d, double beta, double[] theta) {
    if (theta.length != d) {
      throw new IllegalArgumentException("theta has " + theta.length + " entries, need d = " + d);
    }
    if ((long) d * d > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("d = " + d + " is too large for a dense d x d Hessian");
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
    return runJob(sc, data, theta, "theta fit: Fisher Hessian",
        bc -> data.mapPartitions(blocks -> hessian(blocks, bc, d, beta)), (long) d * d);
  }

  /**
   * Broadcasts theta, runs the per-partition sums and adds them up, destroys the broadcast. Small
   * partials are collected and added in partition order (a deterministic result); large ones go
   * through treeReduce, whose additions follow task completion order (round-off may differ between
   * runs in the last bits).
   */
  private static double[] runJob(
      JavaSparkContext sc, JavaRDD<LabelledBlock> data, double[] theta, String description,
      Function<Broadcast<double[]>, JavaRDD<double[]>> partials, long partialLength) {
    String previous = sc.getLocalProperty(JOB_DESCRIPTION);
    Broadcast<double[]> bc = sc.broadcast(theta.clone());
    try {
      sc.setJobDescription(description);
      JavaRDD<double[]> rdd = partials.apply(bc);
      if ((long) rdd.getNumPartitions() * partialLength * Double.BYTES <= DRIVER_SUM_BYTES) {
        // collect() returns the partials in partition order, so the sum (and theta) is the same
        // bit for bit whatever order tasks finish in, retried tasks included; treeReduce adds them
        // in completion order.
        double[] sum = null;
        for (double[] part : rdd.collect()) {
          sum = sum == null ? part : addInto(sum, part);
        }
        return sum;
      }
      return rdd.treeReduce(DistributedDpoFit::addInto, TREE_DEPTH);
    } finally {
      sc.setLocalProperty(JOB_DESCRIPTION, previous);
      bc.destroy();
    }
  }

  // Static so that the Spark closures capture only the broadcast handle and a few scalars.
  private static Iterator<double[]> lossAndGradient(
      Iterator<LabelledBlock> blocks, Broadcast<double[]> bc, int d, double beta) {
    double[] theta = bc.value();
    double[] out = new double[d + 1]; // gradient, then loss
    double[] grad = new double[d];
    double loss = 0.0;
    while (blocks.hasNext()) {
      LabelledBlock blk = checked(blocks.next(), d);
      loss += DpoObjective.addLossAndGradient(blk.phi(), blk.rows(), d, blk.b(), blk.s(), beta, theta, grad);
    }
    System.arraycopy(grad, 0, out, 0, d);
    out[d] = loss;
    return Collections.singletonList(out).iterator();
  }

  private static Iterator<double[]> hessian(
      Iterator<LabelledBlock> blocks, Broadcast<double[]> bc, int d, double beta) {
    double[] theta = bc.value();
    double[] h = new double[d * d];
    while (blocks.hasNext()) {
      LabelledBlock blk = checked(blocks.next(), d);
      DpoObjective.addHessian(blk.phi(), blk.rows(), d, blk.b(), beta, theta, h);
    }
    return Collections.singletonList(h).iterator();
  }

  private static LabelledBlock checked(LabelledBlock blk, int d) {
    if (blk.d() != d) {
      throw new IllegalArgumentException("block has d = " + blk.d() + ", fit expects d = " + d);
    }
    return blk;
  }

  private static double[] addInto(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }
}
