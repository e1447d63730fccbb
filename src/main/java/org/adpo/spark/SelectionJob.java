package org.adpo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.io.ResumeStore;
import org.adpo.io.SelectionReport;
import org.adpo.model.FitResult;
import org.adpo.model.NewtonFit;
import org.adpo.oracle.BernoulliOracle;
import org.adpo.oracle.LabelOracle;
import org.adpo.oracle.LoggedOracle;
import org.adpo.oracle.ThetaFile;
import org.adpo.select.Algorithm;
import org.adpo.select.CandidateBlock;
import org.adpo.select.Pick;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

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
    return run(spark, frame, source, settings, customOracle, null);
  }

  /**
   * @param store where the selection records its progress while the greedy rounds run, and from which
   *     it continues an interrupted run of the same selection (see {@link SelectionProgress}); null =
   *     neither. The caller deletes the record once the result is safely written.
   */
  @SuppressWarnings("unchecked")
  public static SelectionResult run(SparkSession spark, Dataset<Row> frame, String source, SelectionSettings settings,
      LabelOracle customOracle, ResumeStore store) {
    settings.validate();
    Checkpoints.check(spark.sparkContext(), settings);
    DriverRounds.warmUpInBackground();
    PhaseTimer timer = new PhaseTimer();
    List<String> warnings = new ArrayList<>();
    try (SparkJobs.Counter jobs = new SparkJobs.Counter(spark);
        BroadcastScope runScope = new BroadcastScope(JavaSparkContext.fromSparkContext(spark.sparkContext()))) {
      LoadedPool pool = PoolLoader.load(frame, source, settings);
      JavaRDD<CandidateBlock> candidates = null;
      OnlineLearner online = null;
      WarmStartSelection warm = null;
      try {
        String[] digests = pool.fingerprints();
        String fingerprint = digests[0]; // evaluate checks it against its --pool
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
        // What the picks were weighed with before the rounds, bit for bit: part of the resume key.
        Map<String, Object> weighedWith = new LinkedHashMap<>();
        if (algorithm.fitsThetaFirst()) {
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
            if (settings.ucbAlpha() > 0) {
              double[] hessian = DistributedDpoFit.fisherHessian(labelled, d, settings.beta(), fit.theta());
              sigmaHat = NewtonFit.penalizedInverse(hessian, d, settings.lambda());
            }
            weighedWith.put("theta", SelectionProgress.hex(fit.theta()));
            if (sigmaHat != null) {
              weighedWith.put("sigma_hat_sha256", org.adpo.io.AtomicFiles.sha256(
                  String.join(",", SelectionProgress.hex(sigmaHat)).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
          } finally {
            labelled.unpersist(false);
          }
          timer.end("fit");
        }
        long cachedBytes;
        if (algorithm.isOnline()) {
          // The pool blocks stay cached: refits re-weigh them and reveals look picked rows up in them.
          LabelOracle oracle = customOracle != null ? customOracle
              : oracle(spark, pool, settings, warnings, weighedWith);
          timer.end("oracle");
          online = new OnlineLearner(spark, settings, pool.blocks(), d, oracle);
          if (algorithm == Algorithm.ADPO) {
            candidates = online.candidates(); // theta_hat_0 = 0
            SparkJobs.describe(spark, "candidate weights");
            candidates.count();
          }
          cachedBytes = candidates == null ? 0 : cachedBytes(spark, candidates);
        } else if (algorithm.isWarmStarted()) {
          warm = new WarmStartSelection(spark, runScope, pool.blocks(), settings, d, fit.theta(), sigmaHat,
              pool.ones() + pool.zeros());
          candidates = warm.weighted();
          cachedBytes = cachedBytes(spark, candidates);
          pool.blocks().unpersist(false);
        } else {
          candidates = weigh(spark, runScope, pool.blocks(), settings, fit == null ? null : fit.theta(), sigmaHat);
          cachedBytes = cachedBytes(spark, candidates);
          pool.blocks().unpersist(false); // candidates hold the features (tiled copy, or the shared arrays); the decoded blocks can go
        }
        timer.end("weights");

        DistributedGreedy greedy = new DistributedGreedy(spark, settings, d, new ProgressLog(), online);
        Resume resumed = null;
        SelectionProgress.Recorder recorder = null;
        if (store != null) {
          JsonNode key = SelectionProgress.key(algorithm.cliName(), settings.describe(), fingerprint, digests[1],
              weighedWith);
          resumed = resumable(spark, store, key, n, pool, candidates, warm, online);
          if (algorithm != Algorithm.UNIFORM) { // one pass: nothing to resume
            recorder = new SelectionProgress.Recorder(store, key, resumed == null ? 0 : resumed.saved().picks().size());
            greedy.onRound(recorder::round);
          }
        }
        if (resumed != null) {
          ProgressLog.info("resumed from pick " + resumed.saved().picks().size() + " of " + n + " (the progress of an"
              + " interrupted run of this selection, " + store.where() + ")");
          if (online != null) {
            // Theta as the uninterrupted run had it after these picks: the refits at every schedule point
            // up to them, each on the revealed rows in pick order; ADPO re-weighs once, after the last.
            int refitsBefore = online.refitCount();
            for (long at = online.nextRefit(0); at <= resumed.saved().picks().size() && at < n; at = online.nextRefit(at)) {
              online.refit(resumed.saved().picks().subList(0, (int) at));
            }
            if (algorithm == Algorithm.ADPO && online.refitCount() > refitsBefore) {
              candidates = online.candidates();
            }
          }
        }
        List<Pick> picks;
        if (warm != null) {
          picks = warm.run(greedy, n, pool.rows(), resumed == null ? null : resumed.saved().picks(),
              resumed == null ? null : resumed.phi(), resumed == null ? null : resumed.saved().scales(),
              recorder == null ? null : recorder::round);
        } else {
          if (resumed != null) {
            greedy.resume(resumed.saved().picks(), resumed.phi(), resumed.saved().scales());
          }
          picks = greedy.run(candidates, n, pool.rows());
        }
        if (recorder != null) {
          recorder.end();
        }
        Map<Long, Integer> revealedLabels = null;
        if (online != null) {
          online.reveal(picks); // the labels of the picks after the last refit
          revealedLabels = online.labelsByOrd();
          fit = online.lastFit();
        }
        timer.end("select");

        OnlineLearner learner = online;
        JavaRDD<CandidateBlock> features = warm != null ? warm.weighted() : candidates;
        List<Pick> made = picks;
        Dataset<Row> selection = selectionFrame(spark, pool, picks, revealedLabels, warnings,
            () -> learner != null || features == null
                ? DistributedGreedy.storedFeaturesOfPool(spark, pool.blocks(), made, OUTPUT_FEATURES_JOB)
                : DistributedGreedy.storedFeaturesOf(spark, features, made, OUTPUT_FEATURES_JOB));
        timer.end("join"); // the picks' features looked up for the output's join (the join itself runs as it is written)
        double sumGains = 0;
        for (Pick p : picks) {
          sumGains += p.gain();
        }
        SelectionReport.GreedyStats g = greedy.stats();
        int rounds = greedy.rounds() + (warm == null ? 0 : warm.rounds()); // adpo-warm: both phases
        SelectionReport.Progress prog = store == null ? null : new SelectionReport.Progress(
            recorder == null ? 0 : recorder.writes(), recorder == null ? 0.0 : recorder.writeSeconds(),
            recorder == null ? 0 : recorder.picksRecorded(), resumed == null ? 0 : resumed.saved().picks().size());
        SelectionReport.Selection sel = new SelectionReport.Selection(picks.size(), rounds, g.strategy(), g.kernel(),
            g.roundsOn(), g.refreshes(), g.checkpoints(), g.regathers(), g.maxTopK(), g.maxGather(), g.driverBytesPerRound(),
            g.driverCpuSPerRound(), g.driverCertifyS(), g.roundsSetupS(), g.roundWorkS(), g.gatheredRowsPerRound(), g.candidatesPerPick(),
            rounds == 0 ? 0.0 : picks.size() / (double) rounds, d * Math.log(settings.gamma()), greedy.logDet(),
            algorithm.design(settings.ucbAlpha()), sumGains, prog, warm == null ? null : warm.describe());
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

  /** A recorded selection to continue: its picks and their features (float32 widened), in pick order. */
  private record Resume(SelectionProgress.Saved saved, List<double[]> phi) {}

  /**
   * The recorded progress of this selection, when the store holds one whose key equals {@code key}
   * and whose picks are rows of this pool; any other record is deleted, with one line saying why
   * (never a wrong resume). Null when there is nothing to continue.
   */
  private static Resume resumable(SparkSession spark, ResumeStore store, JsonNode key, long n, LoadedPool pool,
      JavaRDD<CandidateBlock> candidates, WarmStartSelection warm, OnlineLearner online) {
    byte[] bytes = store.read();
    if (bytes == null) {
      return null;
    }
    String why;
    SelectionProgress.Saved saved = null;
    try {
      saved = SelectionProgress.decode(bytes);
      why = SelectionProgress.difference(saved.key(), key);
    } catch (IllegalArgumentException e) {
      why = e.getMessage();
    }
    if (why == null && saved.picks().size() > n) {
      why = "it holds " + saved.picks().size() + " picks, more than the budget of " + n;
    }
    List<double[]> phi = null;
    if (why == null && !saved.picks().isEmpty()) {
      phi = online != null ? DistributedGreedy.featuresOfPool(spark, pool.blocks(), saved.picks())
          : DistributedGreedy.featuresOf(spark, warm != null ? warm.weighted() : candidates, saved.picks());
      if (phi == null) {
        why = "a recorded pick is not a row of this pool";
      }
    }
    if (why != null) {
      ProgressLog.warn("discarding the progress recorded in " + store.where() + ": " + why + "; starting over");
      store.delete();
      return null;
    }
    return saved.picks().isEmpty() ? null : new Resume(saved, phi);
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

  private static JavaRDD<CandidateBlock> weigh(SparkSession spark, BroadcastScope scope, JavaRDD<PoolBlock> blocks,
      SelectionSettings settings, double[] theta, double[] sigmaHat) {
    JavaRDD<CandidateBlock> candidates = Candidates.weigh(scope, blocks, settings.algorithm(), settings.beta(), theta,
        settings.ucbAlpha(), sigmaHat, "adpo candidate blocks");
    SparkJobs.describe(spark, "candidate weights");
    candidates.count();
    return candidates;
  }

  /**
   * The oracle of an online run: logged, or bernoulli with theta_true from the file or, without one,
   * the fit on all labels of the pool (distributed, as for ADPO+).
   */
  private static LabelOracle oracle(SparkSession spark, LoadedPool pool, SelectionSettings settings,
      List<String> warnings, Map<String, Object> weighedWith) {
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
    weighedWith.put("theta_true", SelectionProgress.hex(thetaTrue)); // the labels follow from it
    return new BernoulliOracle(thetaTrue, settings.beta(), settings.seed());
  }

  /**
   * The most feature values (picks x d) whose vectors the output takes from the picks rather than from a second
   * read of the pool's feature column (below); 2^24 values are 64 MB of float32 on the driver.
   */
  static final long PICKED_FEATURES_MAX_VALUES = 1L << 24;

  private static final String OUTPUT_FEATURES_JOB = "features of the picks for the output";

  /**
   * Spark conf {@value #LOOKUP_KEY} (or the same JVM system property without the {@code spark.} prefix): the fewest
   * feature values in the pool (rows x d) for which the output takes the picks' vectors from the cached blocks. The
   * lookup costs up to about a second (a job over the cached blocks, the picks' vectors as rows), what a second read
   * of the default 2^26 values (256 MB of float32) costs here; below, the join reads the column (bench/perf.py: at
   * N = 10^5, d = 64 the lookup made the output 0.2 s slower, at N = 10^6, d = 256 and N = 5 x 10^4, d = 4096 about
   * 0.5 s faster).
   */
  public static final String LOOKUP_KEY = "spark.adpo.output.lookup-min-values";
  static final long LOOKUP_DEFAULT = 1L << 26;

  /**
   * Input rows of the picks (all input columns) plus rank, gain and weight, in pick order; with
   * {@code labels} (online runs) also {@code label}, the label the oracle revealed. Where the pool's features are one column of float32 arrays
   * (and the sizes above say it pays), {@code pickFeatures} gives the picks' stored vectors, which the output
   * takes instead of reading that column again.
   */
  private static Dataset<Row> selectionFrame(SparkSession spark, LoadedPool pool, List<Pick> picks,
      Map<Long, Integer> labels, List<String> warnings, java.util.function.Supplier<List<float[]>> pickFeatures) {
    List<String> added = new ArrayList<>(ADDED_COLUMNS);
    if (labels != null) {
      added.add(LABEL_COLUMN);
    }
    Dataset<Row> frame = pool.frame();
    String idName = pool.layout().names().id();
    List<String> clashes = PickRows.replaced(frame.columns(), idName, added);
    if (!clashes.isEmpty()) {
      warn(warnings, "input columns " + clashes + " are replaced by the selection's own columns of the same name");
    }
    int n = picks.size();
    Object[] ids = new Object[n];
    long[] ranks = new long[n];
    double[] gains = new double[n];
    double[] weights = new double[n];
    int[] revealed = labels == null ? null : new int[n];
    for (int i = 0; i < n; i++) {
      Pick p = picks.get(i);
      ids[i] = p.id();
      ranks[i] = p.rank();
      gains[i] = p.gain();
      weights[i] = p.weight();
      if (revealed != null) {
        revealed[i] = labels.get(p.ord());
      }
    }
    // Where the pool's features are one column of float32 arrays, the cached blocks hold its values bit for bit
    // (PoolCells.phiFloats copies them as floats, and validation refused nulls and NaN): the picks' vectors are
    // looked up there (one small job over cached blocks) and the output's join reads only the other columns.
    String phiName = pool.layout().names().phi();
    List<float[]> floats = null;
    if (pool.layout().cells(frame.schema()).floatFeatures() && !clashes.contains(phiName) && !phiName.equals(idName)
        && (long) n * pool.dimension() <= PICKED_FEATURES_MAX_VALUES
        && pool.rows() * pool.dimension() >= EngineSetting.longOf(spark.sparkContext(), LOOKUP_KEY, LOOKUP_DEFAULT)) {
      floats = pickFeatures.get(); // null if a pick's row was not found: then the column is read
    }
    boolean stringIds = pool.layout().stringIds();
    if (floats != null) {
      Dataset<Row> pickFrame = PickRows.frame(spark, stringIds, ids, ranks, gains, weights, revealed,
          frame.schema().apply(phiName), floats);
      return PickRows.selection(frame, idName, pickFrame, added, phiName);
    }
    return PickRows.selection(frame, idName, PickRows.frame(spark, stringIds, ids, ranks, gains, weights, revealed),
        added);
  }
}
