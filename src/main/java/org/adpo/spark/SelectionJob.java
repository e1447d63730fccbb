package org.adpo.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.model.FitResult;
import org.adpo.select.Algorithm;
import org.adpo.select.CandidateBlock;
import org.adpo.select.CandidateWeights;
import org.adpo.select.Pick;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One selection run, phase by phase: validate and cache the pool, fit theta (ADPO+), compute the
 * candidates' weights on the executors, run the greedy loop, and join the picks back to the input
 * rows. Works on any {@code Dataset<Row>}; writing the result is the caller's business.
 */
public final class SelectionJob {
  /** Output columns added to the input's. */
  public static final List<String> ADDED_COLUMNS = List.of("rank", "gain", "weight");

  private SelectionJob() {}

  public static SelectionResult run(SparkSession spark, Dataset<Row> frame, String source, SelectionSettings settings) {
    settings.validate();
    PhaseTimer timer = new PhaseTimer();
    List<String> warnings = new ArrayList<>();
    Map<String, Object> report = new LinkedHashMap<>();
    try (SparkJobs.Counter jobs = new SparkJobs.Counter(spark);
        BroadcastScope runScope = new BroadcastScope(JavaSparkContext.fromSparkContext(spark.sparkContext()))) {
      LoadedPool pool = PoolLoader.load(frame, source, settings);
      JavaRDD<CandidateBlock> candidates = null;
      try {
        timer.end("validate");
        Algorithm algorithm = settings.algorithm();
        int d = pool.dimension();
        long n = settings.budget();
        if (n > pool.rows()) {
          warn(warnings, "budget " + n + " exceeds the pool size " + pool.rows() + "; picking the whole pool");
          n = pool.rows();
        }
        FitResult fit = null;
        double[] sigmaHat = null;
        if (algorithm == Algorithm.ADPO_PLUS) {
          if (pool.ones() == 0 || pool.zeros() == 0) {
            warn(warnings, "all " + (pool.ones() + pool.zeros()) + " labels are " + (pool.ones() == 0 ? 0 : 1)
                + "; the theta fit is defined only through the L2 penalty (lambda = " + settings.lambda() + ")");
          }
          JavaRDD<LabelledBlock> labelled = pool.blocks().map(SelectionJob::labelledRows);
          labelled.persist(StorageLevel.MEMORY_AND_DISK());
          try {
            fit = DistributedDpoFit.fit(labelled, d, settings.beta(), settings.lambda(),
                settings.fitMaxIterations(), settings.fitTolerance());
            if (!fit.converged()) {
              warn(warnings, "theta fit stopped after " + fit.iterations() + " iterations without meeting the"
                  + " tolerance (gradient norm " + fit.gradientNorm() + ")");
            }
            if (settings.alpha() > 0) {
              double[] hessian = DistributedDpoFit.fisherHessian(labelled, d, settings.beta(), fit.theta());
              sigmaHat = covariance(hessian, d, settings.lambda());
            }
          } finally {
            labelled.unpersist(false);
          }
          timer.end("fit");
        }
        candidates = weigh(spark, runScope, pool.blocks(), settings, fit == null ? null : fit.theta(), sigmaHat);
        long cachedBytes = cachedBytes(spark, candidates);
        pool.blocks().unpersist(false); // candidates share the feature arrays; the decoded copy can go
        timer.end("weights");

        DistributedGreedy greedy = new DistributedGreedy(spark, settings, d, new ProgressLog());
        List<Pick> picks = greedy.run(candidates, n, pool.rows());
        timer.end("select");

        Dataset<Row> selection = selectionFrame(spark, pool, picks, warnings);
        double sumGains = 0;
        for (Pick p : picks) {
          sumGains += p.gain();
        }
        report.put("algorithm", algorithm.cliName());
        report.put("settings", settings.describe());
        Map<String, Object> poolInfo = new LinkedHashMap<>();
        poolInfo.put("source", source);
        poolInfo.put("rows", pool.rows());
        poolInfo.put("dimension", d);
        poolInfo.put("partitions", pool.blocks().getNumPartitions());
        poolInfo.put("labels_one", pool.ones());
        poolInfo.put("labels_zero", pool.zeros());
        poolInfo.put("cached_candidate_bytes", cachedBytes);
        report.put("pool", poolInfo);
        report.put("fit", fit == null ? null : describeFit(fit));
        Map<String, Object> sel = new LinkedHashMap<>();
        sel.put("picks", picks.size());
        sel.put("rounds", greedy.rounds());
        sel.putAll(greedy.stats());
        sel.put("picks_per_round", greedy.rounds() == 0 ? 0.0 : picks.size() / (double) greedy.rounds());
        sel.put("log_det_initial", d * Math.log(settings.gamma()));
        sel.put("log_det_final", greedy.logDet());
        sel.put("sum_of_gains", sumGains);
        report.put("selection", sel);
        Map<String, Object> sparkInfo = new LinkedHashMap<>();
        sparkInfo.put("version", spark.version());
        sparkInfo.put("master", spark.sparkContext().master());
        sparkInfo.put("jobs", jobs.settledJobs(spark));
        report.put("spark", sparkInfo);
        report.put("timings_s", timer.phases());
        report.put("warnings", warnings);
        return new SelectionResult(selection, picks, fit, report);
      } finally {
        if (candidates != null) {
          candidates.unpersist(false);
        }
        pool.release();
      }
    }
  }

  /** Memory plus disk size of the cached candidate blocks, as Spark's block manager counts it. */
  private static long cachedBytes(SparkSession spark, JavaRDD<CandidateBlock> candidates) {
    for (org.apache.spark.storage.RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
      if (info.id() == candidates.id()) {
        return info.memSize() + info.diskSize();
      }
    }
    return -1;
  }

  private static void warn(List<String> warnings, String message) {
    warnings.add(message);
    ProgressLog.warn(message);
  }

  /** The labelled rows of a block, in double (rows without a label take part in selection only). */
  static LabelledBlock labelledRows(PoolBlock p) {
    int n = 0;
    for (int i = 0; i < p.rows; i++) {
      if (!Double.isNaN(p.s[i])) {
        n++;
      }
    }
    double[] phi = new double[n * p.d];
    double[] b = new double[n];
    double[] s = new double[n];
    int k = 0;
    for (int i = 0; i < p.rows; i++) {
      if (!Double.isNaN(p.s[i])) {
        for (int j = 0; j < p.d; j++) {
          phi[k * p.d + j] = p.phi[i * p.d + j];
        }
        b[k] = p.b[i];
        s[k] = p.s[i];
        k++;
      }
    }
    return new LabelledBlock(n, p.d, phi, b, s);
  }

  /** Sigma_hat = (lambda I + beta^2 sum w phi phi^T)^-1, inverted on the driver. */
  static double[] covariance(double[] hessian, int d, double lambda) {
    DMatrixRMaj m = new DMatrixRMaj(d, d);
    System.arraycopy(hessian, 0, m.data, 0, d * d);
    for (int i = 0; i < d; i++) {
      m.add(i, i, lambda);
    }
    DMatrixRMaj inv = new DMatrixRMaj(d, d);
    if (!CommonOps_DDRM.invertSPD(m, inv)) {
      throw new IllegalStateException("the penalised Fisher information is not positive definite");
    }
    return inv.data;
  }

  private static JavaRDD<CandidateBlock> weigh(SparkSession spark, BroadcastScope scope, JavaRDD<PoolBlock> blocks,
      SelectionSettings settings, double[] theta, double[] sigmaHat) {
    Broadcast<double[]> thetaBc = theta == null ? null : scope.broadcast(theta);
    Broadcast<double[]> sigmaBc = sigmaHat == null ? null : scope.broadcast(sigmaHat);
    Algorithm algorithm = settings.algorithm();
    double beta = settings.beta();
    double alpha = settings.alpha();
    JavaRDD<CandidateBlock> candidates = blocks.map(p -> CandidateWeights.apply(p, algorithm, beta,
        thetaBc == null ? null : thetaBc.value(), alpha, sigmaBc == null ? null : sigmaBc.value()));
    candidates.persist(StorageLevel.MEMORY_AND_DISK());
    candidates.setName("adpo candidate blocks");
    SparkJobs.describe(spark, "candidate weights");
    candidates.count();
    return candidates;
  }

  private static Map<String, Object> describeFit(FitResult fit) {
    Map<String, Object> m = new LinkedHashMap<>();
    double norm = 0;
    for (double t : fit.theta()) {
      norm += t * t;
    }
    m.put("iterations", fit.iterations());
    m.put("evaluations", fit.evaluations());
    m.put("final_loss", fit.loss());
    m.put("gradient_norm", fit.gradientNorm());
    m.put("converged", fit.converged());
    m.put("theta_norm", Math.sqrt(norm));
    return m;
  }

  /** Input rows of the picks (all input columns) plus rank, gain and weight, in pick order. */
  private static Dataset<Row> selectionFrame(SparkSession spark, LoadedPool pool, List<Pick> picks, List<String> warnings) {
    Dataset<Row> frame = pool.frame();
    String idName = pool.layout().names().id();
    DataType idType = frame.schema().apply(idName).dataType();
    List<String> clashes = new ArrayList<>();
    for (String c : frame.columns()) {
      if (ADDED_COLUMNS.contains(c) && !c.equals(idName)) {
        clashes.add(c);
      }
    }
    if (!clashes.isEmpty()) {
      warn(warnings, "input columns " + clashes + " are replaced by the selection's own columns of the same name");
      frame = frame.drop(clashes.toArray(new String[0]));
    }
    String key = "__adpo_pick_id";
    StructType schema = new StructType()
        .add(key, pool.layout().stringIds() ? DataTypes.StringType : DataTypes.LongType, false)
        .add("rank", DataTypes.LongType, false)
        .add("gain", DataTypes.DoubleType, false)
        .add("weight", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>(picks.size());
    for (Pick p : picks) {
      rows.add(RowFactory.create(p.id(), p.rank(), p.gain(), p.weight()));
    }
    Dataset<Row> pickFrame = spark.createDataFrame(rows, schema)
        .withColumn(key, functions.col(key).cast(idType));
    List<Column> out = new ArrayList<>();
    for (String c : frame.columns()) {
      out.add(frame.col("`" + c.replace("`", "``") + "`"));
    }
    out.addAll(Arrays.asList(pickFrame.col("rank"), pickFrame.col("gain"), pickFrame.col("weight")));
    return frame.join(functions.broadcast(pickFrame), frame.col("`" + idName + "`").equalTo(pickFrame.col(key)))
        .select(out.toArray(new Column[0]))
        .orderBy(functions.col("rank"));
  }
}
