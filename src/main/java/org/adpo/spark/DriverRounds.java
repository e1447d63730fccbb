package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.adpo.design.FeatureTiles;
import org.adpo.design.InverseDesign;
import org.adpo.design.ScoreKernel;
import org.adpo.design.ScoreKernels;
import org.adpo.select.CandidateBlock;
import org.adpo.select.CertifiedGreedy;
import org.adpo.select.GatherPlan;
import org.adpo.select.PartitionScorer;
import org.adpo.select.PartitionTop;
import org.adpo.select.PickBatch;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * The lazy loop's stored scores in the driver: the candidate blocks are collected once (again after
 * an online refit re-weighs them), and each round runs {@link PartitionScorer}'s functions on driver
 * threads, with no Spark job, broadcast or checkpoint per round. For pools that fit in the driver
 * ({@link RoundsChoice}); on a local master the executors are this JVM's threads anyway, so a round
 * here does the same arithmetic without the scheduler's fixed cost.
 *
 * <p>Exactness: every block keeps its partition index, and refresh, downdate and gather call the same
 * functions on the same rows as {@link ExecutorRounds}. Work is split across threads by row ranges of
 * a block; a row's score depends only on that row (the range overloads of {@link PartitionScorer}), so
 * the scores, the gathered rows and so every pick are bit for bit those of the executor rounds.
 */
final class DriverRounds implements LazyRounds {
  /**
   * Rows per task: large enough that a task outweighs its hand-off, small enough to balance. Slices are
   * whole tiles ({@link FeatureTiles#TILE} rows), so no tile's dots are computed twice; any split gives the
   * same scores.
   */
  private static final int SLICE_ROWS = 8192;
  /** Test hook: false makes a local master collect the blocks as a cluster does. */
  static volatile boolean handOffLocally = true;

  private final SparkSession spark;
  private final ExecutorService pool;
  private final int threads;
  private CandidateBlock[] blocks;
  private int[] partition;
  private double[][] scores;
  private int partitions;
  private final long bytes;
  private final Runnable afterRefresh;

  private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Once per JVM, in a daemon thread: lets the JIT compile the round functions while the pool is read
   * ({@link #warmUp}), so that the first rounds in the driver do not run interpreted.
   */
  static void warmUpInBackground() {
    if (WARMED.compareAndSet(false, true)) {
      Thread t = new Thread(() -> warmUp(ScoreKernels.best()), "adpo-rounds-warm-up");
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * Runs the round functions ({@link PartitionScorer#downdate}, {@link PartitionScorer#topAbove},
   * {@link CertifiedGreedy#round}) on small made-up blocks (one tiled, one row-major) a few
   * hundred times, so that the JIT has compiled their loops (and the kernel's) before the first real
   * round: until then a pass over a large block runs interpreted, about 30 times slower (measured
   * here: 90-140 ms against 3-5 ms for 5 x 10^4 rows of d = 64 and 8 picks). The results are discarded.
   */
  private static void warmUp(ScoreKernel kernel) {
    warmUp(kernel, 256, 35, 400); // tiled: blocked lanes plus a tail for every lane count up to 32
    warmUp(kernel, 32, FeatureTiles.MAX_D + 35, 100); // row-major
  }

  private static void warmUp(ScoreKernel kernel, int rows, int d, int reps) {
    int batch = 5; // one block of four pick vectors plus one alone
    long[] ords = new long[rows];
    float[] phi = new float[rows * d];
    double[] weight = new double[rows];
    for (int i = 0; i < rows; i++) {
      ords[i] = i;
      weight[i] = 1;
    }
    for (int i = 0; i < phi.length; i++) {
      phi[i] = (i % 11) / 11f;
    }
    CandidateBlock block = new CandidateBlock(rows, d, ords, null, phi, weight, weight.clone());
    float[] t = new float[batch * d];
    for (int i = 0; i < t.length; i++) {
      t[i] = (i % 7) / 70f;
    }
    double[] err = new double[batch];
    long[] picked = {3, 17};
    for (int rep = 0; rep < reps; rep++) {
      double[] scores = PartitionScorer.initialScores(block, 1.0);
      PartitionScorer.downdate(block, scores, kernel, t, batch, err, picked);
      PartitionTop top = PartitionScorer.topAbove(block, scores, 0.5, 8, GatherPlan.SAMPLE, 0);
      // The driver's side too: exact scores, certification and rank-one updates of a small design.
      if (rep % 4 == 0) {
        CertifiedGreedy.round(List.of(top), new InverseDesign(d, 1.0), 6, true, (c, score) -> { });
      }
    }
  }

  /**
   * @param bytes the candidates' approximate size in memory (for the collect's job sizes)
   * @param afterRefresh run after a refresh, when the blocks of earlier candidate generations are no
   *     longer held here (the online learner then releases their cached RDDs)
   */
  DriverRounds(SparkSession spark, JavaRDD<CandidateBlock> candidates, long bytes, double gamma, int threads,
      Runnable afterRefresh) {
    this.spark = spark;
    this.afterRefresh = afterRefresh;
    this.bytes = bytes;
    this.threads = Math.max(1, threads);
    this.pool = Executors.newFixedThreadPool(this.threads, r -> {
      Thread t = new Thread(r, "adpo-driver-rounds");
      t.setDaemon(true);
      return t;
    });
    load(candidates);
    for (int b = 0; b < blocks.length; b++) {
      scores[b] = PartitionScorer.initialScores(blocks[b], gamma);
    }
  }

  /**
   * Brings the blocks into the driver with their partition index, in partition order. On a local
   * master the tasks run in this JVM, so each hands its blocks over by reference (through
   * {@link Handoff}), neither serialised nor copied; the cached blocks are shared, and never changed.
   * Otherwise they are collected, in jobs of as many partitions as keep each job's results within half
   * of {@code spark.driver.maxResultSize} (partitions assumed of about equal size), so that a pool
   * larger than that limit still comes in.
   */
  private void load(JavaRDD<CandidateBlock> candidates) {
    partitions = Math.max(1, candidates.getNumPartitions());
    List<CandidateBlock> all = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    if (handOffLocally && RoundsChoice.isLocal(spark.sparkContext().master())) {
      SparkJobs.describe(spark, "hand the candidates to the driver");
      String token = Handoff.open();
      try {
        List<Integer> counts = PartitionZip.collect(candidates.mapPartitionsWithIndex((p, it) -> {
          List<CandidateBlock> mine = new ArrayList<>(1);
          it.forEachRemaining(mine::add);
          Handoff.put(token, p, mine);
          return java.util.Collections.singletonList(mine.size()).iterator();
        }, true));
        for (int p = 0; p < partitions; p++) {
          List<CandidateBlock> mine = Handoff.take(token, p);
          if (mine == null || mine.size() != counts.get(p)) {
            throw new IllegalStateException("partition " + p + " of the candidates was not handed over");
          }
          for (CandidateBlock b : mine) {
            all.add(b);
            index.add(p);
          }
        }
      } finally {
        Handoff.close(token);
      }
    } else {
      long limit = spark.sparkContext().getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
      long perPartition = Math.max(1, bytes / partitions);
      int group = limit <= 0 ? partitions : (int) Math.max(1, Math.min(partitions, limit / 2 / perPartition));
      for (int first = 0; first < partitions; first += group) {
        List<Integer> ids = new ArrayList<>();
        for (int p = first; p < Math.min(partitions, first + group); p++) {
          ids.add(p);
        }
        SparkJobs.describe(spark, "collect the candidates into the driver (partitions " + first + ".."
            + (first + ids.size() - 1) + " of " + partitions + ")");
        List<CandidateBlock>[] parts = candidates.collectPartitions(ids.stream().mapToInt(Integer::intValue).toArray());
        for (int k = 0; k < parts.length; k++) {
          for (CandidateBlock b : parts[k]) {
            all.add(b);
            index.add(ids.get(k));
          }
        }
      }
    }
    blocks = all.toArray(new CandidateBlock[0]);
    partition = index.stream().mapToInt(Integer::intValue).toArray();
    scores = new double[blocks.length][];
  }

  /**
   * Blocks handed from a local master's tasks to the driver in the same JVM, under a one-use token.
   * A retried task puts its partition again, replacing the first attempt's (equal) blocks.
   */
  static final class Handoff {
    private static final java.util.concurrent.ConcurrentHashMap<String,
        java.util.concurrent.ConcurrentHashMap<Integer, List<CandidateBlock>>> OPEN =
        new java.util.concurrent.ConcurrentHashMap<>();

    private Handoff() {}

    static String open() {
      String token = java.util.UUID.randomUUID().toString();
      OPEN.put(token, new java.util.concurrent.ConcurrentHashMap<>());
      return token;
    }

    static void put(String token, int partition, List<CandidateBlock> blocks) {
      java.util.concurrent.ConcurrentHashMap<Integer, List<CandidateBlock>> m = OPEN.get(token);
      if (m == null) {
        throw new IllegalStateException("no driver in this JVM is waiting for these candidates");
      }
      m.put(partition, blocks);
    }

    static List<CandidateBlock> take(String token, int partition) {
      return OPEN.get(token).remove(partition);
    }

    static void close(String token) {
      OPEN.remove(token);
    }
  }

  @Override
  public int partitions() {
    return partitions;
  }

  @Override
  public String where() {
    return "driver";
  }

  @Override
  public int checkpoints() {
    return 0;
  }

  @Override
  public void candidates(JavaRDD<CandidateBlock> next) {
    load(next);
  }

  @Override
  public void refresh(String description, InverseDesign.Vectors inverse, long[] picked) {
    for (int b = 0; b < blocks.length; b++) {
      scores[b] = new double[blocks[b].rows];
    }
    forEachSlice((b, from, to) -> PartitionScorer.exactScores(blocks[b], inverse, picked, scores[b], from, to));
    afterRefresh.run();
  }

  @Override
  public void downdate(PickBatch batch) {
    ScoreKernel kernel = ScoreKernels.best();
    if (blocks.length == 0) {
      return;
    }
    double[] err = batch.errors(kernel, blocks[0].d); // every block has the pool's d
    forEachSlice((b, from, to) -> PartitionScorer.downdate(blocks[b], scores[b], from, to, kernel, batch.t,
        batch.size, err, batch.ords));
  }

  @Override
  public List<PartitionTop> gather(String description, GatherPlan plan) {
    List<Future<PartitionTop>> futures = new ArrayList<>(blocks.length);
    for (int b = 0; b < blocks.length; b++) {
      int i = b;
      futures.add(pool.submit(() -> PartitionScorer.topAbove(blocks[i], scores[i], plan.threshold,
          plan.cap(partition[i]), GatherPlan.SAMPLE, partition[i])));
    }
    List<PartitionTop> tops = new ArrayList<>(blocks.length);
    for (Future<PartitionTop> f : futures) {
      tops.add(await(f));
    }
    return tops;
  }

  private interface SliceWork {
    void run(int block, int from, int to);
  }

  /** Runs {@code work} over every block's rows in slices on the driver threads; returns when all are done. */
  private void forEachSlice(SliceWork work) {
    List<Future<?>> futures = new ArrayList<>();
    for (int b = 0; b < blocks.length; b++) {
      int rows = blocks[b].rows;
      int slice = Math.max(SLICE_ROWS, (rows + threads * 4 - 1) / (threads * 4));
      slice = (slice + FeatureTiles.TILE - 1) / FeatureTiles.TILE * FeatureTiles.TILE; // whole tiles per slice
      for (int from = 0; from < rows; from += slice) {
        int block = b;
        int start = from;
        int end = Math.min(rows, from + slice);
        futures.add(pool.submit(() -> work.run(block, start, end)));
      }
    }
    for (Future<?> f : futures) {
      await(f);
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scoring candidates in the driver", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error er) {
        throw er;
      }
      throw new IllegalStateException(c);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    blocks = null;
    scores = null;
  }
}
