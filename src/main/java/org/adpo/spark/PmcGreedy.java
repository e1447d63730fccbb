package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import org.adpo.data.PoolBlock;
import org.adpo.select.Candidate;
import org.adpo.select.PmcScorer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * PMC: between two refits theta is fixed, so the next m = (picks to the next refit) picks are the m
 * unpicked rows with the largest |phi . theta - b| (ties to the smallest id): one job per stretch,
 * each partition returning its best m. Gains are those of the unweighted design (w = 1).
 */
final class PmcGreedy {
  private PmcGreedy() {}

  /** Online PMC: stretches between the refits of {@code online}. */
  static void run(SparkSession spark, GreedyState s, OnlineLearner online, long n) {
    long boundary = Math.min(n, online.nextRefit(s.picks.size()));
    while (s.picks.size() < n) {
      if (!stretch(spark, s, online.poolBlocks(), online.theta(), boundary, n)) {
        break;
      }
      if (s.picks.size() == boundary && s.picks.size() < n) {
        online.refit(s.picks);
        boundary = Math.min(n, online.nextRefit(s.picks.size()));
      }
    }
  }

  /** Up to {@code n} picks in all under a fixed theta. */
  static void fixedTheta(SparkSession spark, GreedyState s, JavaRDD<PoolBlock> blocks, double[] theta, long n) {
    while (s.picks.size() < n && stretch(spark, s, blocks, theta, n, n)) {
      // one stretch per loop; a second one only if the first found fewer rows than asked
    }
  }

  /** One stretch: the picks up to {@code boundary} under a fixed theta; false when no row was left. */
  private static boolean stretch(SparkSession spark, GreedyState s, JavaRDD<PoolBlock> blocks, double[] thetaNow,
      long boundary, long n) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    s.rounds++;
    int m = (int) (boundary - s.picks.size());
    SparkJobs.describe(spark, "select round " + s.rounds + ": pmc picks " + (s.picks.size() + 1) + ".." + boundary
        + " of " + n);
    Broadcast<double[]> theta = jsc.broadcast(thetaNow);
    Broadcast<long[]> done = jsc.broadcast(s.pickedArray());
    List<List<Candidate>> lists;
    try {
      lists = blocks.map(p -> PmcScorer.top(p, theta.value(), done.value(), m)).collect();
    } finally {
      theta.destroy();
      done.destroy();
    }
    List<Candidate> all = new ArrayList<>();
    lists.forEach(all::addAll);
    all.sort(Candidate.BEST_FIRST);
    if (all.isEmpty()) {
      return false;
    }
    for (Candidate c : all.subList(0, Math.min(m, all.size()))) {
      s.record(c, s.design.score(c.phi, 0, 1.0));
      s.design.add(c.phi, 0, 1.0);
    }
    s.roundDone(n);
    return true;
  }
}
