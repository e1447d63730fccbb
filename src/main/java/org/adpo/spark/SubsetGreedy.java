package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import org.adpo.select.Candidate;
import org.adpo.select.CandidateBlock;
import org.adpo.select.PartitionScorer;
import org.adpo.select.PartitionScorer.Keyed;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The modes that draw seeded random subsets ({@link PartitionScorer#smallestKeys}, independent of the
 * partitioning): {@code uniform} (one draw of n rows, each picked in key order) and the candidate-subset
 * and stochastic modes (each pick the best of a fresh subset of the unpicked rows, one job per pick).
 */
final class SubsetGreedy {
  private SubsetGreedy() {}

  /** Each pick: the best of {@code size} unpicked rows drawn for that step. */
  static void subsets(SparkSession spark, GreedyState s, JavaRDD<CandidateBlock> candidates, long n, int size) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    s.subsetSize = size;
    long seed = s.settings.seed();
    while (s.picks.size() < n) {
      s.rounds++;
      long step = s.picks.size() + 1;
      SparkJobs.describe(spark, "select pick " + step + " of " + n + " (" + size + " random candidates)");
      Broadcast<long[]> done = jsc.broadcast(s.pickedArray());
      List<List<Keyed>> lists;
      try {
        lists = candidates.map(b -> PartitionScorer.smallestKeys(b, seed, step, done.value(), size)).collect();
      } finally {
        done.destroy();
      }
      List<Keyed> sample = smallest(lists, size);
      if (sample.isEmpty()) {
        break;
      }
      Candidate best = null;
      for (Keyed kc : sample) {
        Candidate c = kc.candidate();
        c = new Candidate(c.ord, c.id, c.phi, c.weight, c.scale, s.design.score(c.phi, 0, c.scale));
        if (best == null || Candidate.BEST_FIRST.compare(c, best) < 0) {
          best = c;
        }
      }
      s.record(best, best.score());
      s.design.add(best.phi, 0, best.scale);
      s.roundDone(n);
    }
  }

  /** n rows drawn at once, picked in key order (the gains are those of that order). */
  static void uniform(SparkSession spark, GreedyState s, JavaRDD<CandidateBlock> candidates, long n) {
    long seed = s.settings.seed();
    int m = (int) n;
    s.rounds++;
    SparkJobs.describe(spark, "select " + n + " uniform picks");
    List<List<Keyed>> lists =
        candidates.map(b -> PartitionScorer.smallestKeys(b, seed, 0, new long[0], m)).collect();
    for (Keyed kc : smallest(lists, m)) {
      Candidate c = kc.candidate();
      double score = s.design.score(c.phi, 0, c.scale);
      s.record(c, score);
      s.design.add(c.phi, 0, c.scale);
    }
    if (!s.picks.isEmpty()) {
      s.roundDone(n);
    }
  }

  private static List<Keyed> smallest(List<List<Keyed>> lists, int size) {
    List<Keyed> all = new ArrayList<>();
    lists.forEach(all::addAll);
    all.sort(PartitionScorer::byKey);
    return all.size() > size ? all.subList(0, size) : all;
  }
}
