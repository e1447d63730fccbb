package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.io.SelectionReport;
import org.adpo.model.FitResult;
import org.adpo.oracle.BernoulliOracle;
import org.adpo.oracle.LabelOracle;
import org.adpo.oracle.LoggedOracle;
import org.adpo.oracle.ThetaFile;
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
  /** Added by the online algorithms: the label the oracle revealed for the pick. */
  public static final String LABEL_COLUMN = "label";

  private SelectionJob() {}

  public static SelectionResult run(SparkSession spark, Dataset<Row> frame, String source, SelectionSettings settings) {
    return run(spark, frame, source, settings, null);
  }

  /**
   * @param customOracle for adpo and pmc: the label oracle to use instead of the one the settings
   *     name (null = the settings' oracle)
   */
  public static SelectionResult run(SparkSession spark, Dataset<Row> frame, String source, SelectionSettings settings,
      LabelOracle customOracle) {
    settings.validate();
    Checkpoints.check(spark.sparkContext(), settings);
    PhaseTimer timer = new PhaseTimer();
    List<String> warnings = new ArrayList<>();
    try (SparkJobs.Counter jobs = new SparkJobs.Counter(spark);
        BroadcastScope runScope = new BroadcastScope(JavaSparkContext.fromSparkContext(spark.sparkContext()))) {
      LoadedPool pool = PoolLoader.load(frame, source, settings);
      JavaRDD<CandidateBlock> candidates = null;
      OnlineLearner online = null;
      WarmStartSelection warm = null;
      try {
        String fingerprint = PoolDigest.of(pool.blocks()); // evaluate checks it against its --pool
        timer.end("validate");
        Algorithm algorithm = settings.algorithm();
        if (algorithm != Algorithm.UNIFORM && algorithm != Algorithm.PMC) { // the others score with the kernel
          ExecutorKernels.warning(spark).ifPresent(w -> warn(warnings, w));
        }
        int d = pool.dimension();
        long n = settings.budget();
        if (n > pool.rows()) {
          throw new org.adpo.error.UsageException("budget " + n + " exceeds the pool size: " + source + " holds "
              + pool.rows() + " pairs; give a budget of at most " + pool.rows());
        }
        FitResult fit = null;
        double[] sigmaHat = null;
        if (algorithm == Algorithm.ADPO_PLUS || algorithm == Algorithm.ADPO_WARM) {
          if (pool.ones() == 0 || pool.zeros() == 0) {
            warn(warnings, "all " + (pool.ones() + pool.zeros()) + " labels are " + (pool.ones() == 0 ? 0 : 1)
                + "; the theta fit is defined only through the L2 penalty (lambda = " + settings.lambda() + ")");
          }
          JavaRDD<LabelledBlock> labelled = pool.blocks().map(LabelledBlock::of);
          labelled.persist(StorageLevel.MEMORY_AND_DISK());
          try {
            fit = DistributedDpoFit.fitOnDriverOrCluster(labelled, pool.ones() + pool.zeros(), d, settings.beta(),
                settings.lambda(), settings.fitMaxIterations(), settings.fitTolerance());
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
        long cachedBytes;
        if (algorithm.isOnline()) {
          // The pool blocks stay cached: refits re-weigh them and reveals look picked rows up in them.
          LabelOracle oracle = customOracle != null ? customOracle : oracle(spark, pool, settings, warnings);
          timer.end("oracle");
          online = new OnlineLearner(spark, settings, pool.blocks(), d, oracle);
          if (algorithm == Algorithm.ADPO) {
            candidates = online.candidates(); // theta_hat_0 = 0
            SparkJobs.describe(spark, "candidate weights");
            candidates.count();
          }
          cachedBytes = candidates == null ? 0 : cachedBytes(spark, candidates);
        } else if (algorithm == Algorithm.ADPO_WARM) {
          warm = new WarmStartSelection(spark, runScope, pool.blocks(), settings, d, fit.theta(), sigmaHat);
          candidates = warm.weighted();
          cachedBytes = cachedBytes(spark, candidates);
          pool.blocks().unpersist(false);
        } else {
          candidates = weigh(spark, runScope, pool.blocks(), settings, fit == null ? null : fit.theta(), sigmaHat);
          cachedBytes = cachedBytes(spark, candidates);
          pool.blocks().unpersist(false); // candidates share the feature arrays; the decoded copy can go
        }
        timer.end("weights");

        DistributedGreedy greedy = new DistributedGreedy(spark, settings, d, new ProgressLog(), online);
        List<Pick> picks = warm != null ? warm.run(greedy, n, pool.rows()) : greedy.run(candidates, n, pool.rows());
        Map<Long, Integer> revealedLabels = null;
        if (online != null) {
          online.reveal(picks); // the labels of the picks after the last refit
          revealedLabels = online.labelsByOrd();
          fit = online.lastFit();
        }
        timer.end("select");

        Dataset<Row> selection = selectionFrame(spark, pool, picks, revealedLabels, warnings);
        double sumGains = 0;
        for (Pick p : picks) {
          sumGains += p.gain();
        }
        SelectionReport.GreedyStats g = greedy.stats();
        int rounds = greedy.rounds() + (warm == null ? 0 : warm.rounds()); // adpo-warm: both phases
        SelectionReport.Selection sel = new SelectionReport.Selection(picks.size(), rounds, g.strategy(), g.kernel(),
            g.refreshes(), g.checkpoints(), g.regathers(), g.maxTopK(), g.maxGather(), g.driverBytesPerRound(),
            g.driverCpuSPerRound(), g.driverCertifyS(), g.gatheredRowsPerRound(), g.candidatesPerPick(),
            rounds == 0 ? 0.0 : picks.size() / (double) rounds, d * Math.log(settings.gamma()), greedy.logDet(),
            algorithm.design(settings.alpha()), sumGains, warm == null ? null : warm.describe());
        SelectionReport report = new SelectionReport(algorithm.cliName(), settings.describe(),
            pool.report(source, fingerprint, cachedBytes), fit == null ? null : SelectionReport.Fit.of(fit),
            online == null ? null : online.describe(), sel, jobs.describe(spark), timer.phases(), warnings);
        return new SelectionResult(selection, picks, fit, report);
      } finally {
        if (candidates != null) {
          candidates.unpersist(false);
        }
        if (warm != null) {
          warm.close();
        }
        if (online != null) {
          online.close();
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

  /**
   * The oracle of an online run: logged, or bernoulli with theta_true from the file or, without one,
   * the fit on all labels of the pool (distributed, as for ADPO+).
   */
  private static LabelOracle oracle(SparkSession spark, LoadedPool pool, SelectionSettings settings,
      List<String> warnings) {
    if (settings.oracle().equals("logged")) {
      return new LoggedOracle();
    }
    int d = pool.dimension();
    double[] thetaTrue;
    if (!settings.thetaTrue().isEmpty()) {
      thetaTrue = ThetaFile.read(settings.thetaTrue(), d);
    } else {
      JavaRDD<LabelledBlock> labelled = pool.blocks().map(LabelledBlock::of);
      labelled.persist(StorageLevel.MEMORY_AND_DISK());
      try {
        FitResult f = DistributedDpoFit.fit(labelled, d, settings.beta(), settings.lambda(),
            settings.fitMaxIterations(), settings.fitTolerance());
        if (!f.converged()) {
          warn(warnings, "theta_true fit (bernoulli oracle) stopped after " + f.iterations()
              + " iterations without meeting the tolerance (gradient norm " + f.gradientNorm() + ")");
        }
        thetaTrue = f.theta();
      } finally {
        labelled.unpersist(false);
      }
    }
    return new BernoulliOracle(thetaTrue, settings.beta(), settings.seed());
  }

  /**
   * Input rows of the picks (all input columns) plus rank, gain and weight, in pick order; with
   * {@code labels} (online runs) also {@code label}, the label the oracle revealed.
   */
  private static Dataset<Row> selectionFrame(SparkSession spark, LoadedPool pool, List<Pick> picks,
      Map<Long, Integer> labels, List<String> warnings) {
    List<String> added = new ArrayList<>(ADDED_COLUMNS);
    if (labels != null) {
      added.add(LABEL_COLUMN);
    }
    Dataset<Row> frame = pool.frame();
    String idName = pool.layout().names().id();
    DataType idType = frame.schema().apply(idName).dataType();
    List<String> clashes = new ArrayList<>();
    for (String c : frame.columns()) {
      if (added.contains(c) && !c.equals(idName)) {
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
    if (labels != null) {
      schema = schema.add(LABEL_COLUMN, DataTypes.IntegerType, false);
    }
    List<Row> rows = new ArrayList<>(picks.size());
    for (Pick p : picks) {
      rows.add(labels == null ? RowFactory.create(p.id(), p.rank(), p.gain(), p.weight())
          : RowFactory.create(p.id(), p.rank(), p.gain(), p.weight(), labels.get(p.ord())));
    }
    Dataset<Row> pickFrame = spark.createDataFrame(rows, schema)
        .withColumn(key, functions.col(key).cast(idType));
    List<Column> out = new ArrayList<>();
    for (String c : frame.columns()) {
      out.add(frame.col("`" + c.replace("`", "``") + "`"));
    }
    for (String c : added) {
      out.add(pickFrame.col(c));
    }
    return frame.join(functions.broadcast(pickFrame), frame.col("`" + idName + "`").equalTo(pickFrame.col(key)))
        .select(out.toArray(new Column[0]))
        .orderBy(functions.col("rank"));
  }
}
