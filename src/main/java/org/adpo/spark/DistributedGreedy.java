package org.adpo.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.adpo.config.SelectionSettings;
import org.adpo.design.InverseDesign;
import org.adpo.select.Algorithm;
import org.adpo.select.Candidate;
import org.adpo.select.CandidateBlock;
import org.adpo.select.CertifiedGreedy;
import org.adpo.select.PartitionScorer;
import org.adpo.select.PartitionScorer.Keyed;
import org.adpo.select.PartitionTop;
import org.adpo.select.Pick;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The selection loop on the driver. Partitions hold the cached candidate blocks; each round sends
 * the executors the current H^-1 and the picked ids by broadcast (destroyed once the round's job
 * has finished), they return their best candidates, and {@link CertifiedGreedy} makes every pick
 * it can prove equal to the sequential one. Nothing is chained between rounds, so the lineage
 * stays one level deep however many rounds run. Also runs the uniform and the paper's
 * candidate-subset modes.
 */
public final class DistributedGreedy {
  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final SelectionSettings settings;
  private final ProgressLog progress;
  private final InverseDesign design;
  private final List<Pick> picks = new ArrayList<>();
  private final TreeSet<Long> picked = new TreeSet<>();
  private int rounds;

  public DistributedGreedy(SparkSession spark, SelectionSettings settings, int d, ProgressLog progress) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.settings = settings;
    this.progress = progress;
    this.design = new InverseDesign(d, settings.gamma());
  }

  /** Picks {@code n} candidates (n <= pool size) and returns them in pick order. */
  public List<Pick> run(JavaRDD<CandidateBlock> candidates, long n) {
    if (settings.algorithm() == Algorithm.UNIFORM) {
      uniform(candidates, n);
    } else if (settings.candidates() > 0) {
      subsets(candidates, n, settings.candidates());
    } else {
      exact(candidates, n);
    }
    return picks;
  }

  private void exact(JavaRDD<CandidateBlock> candidates, long n) {
    int k = settings.topK();
    while (picks.size() < n) {
      rounds++;
      SparkJobs.describe(spark, "select round " + rounds + " (" + picks.size() + "/" + n + " picks)");
      Broadcast<double[]> inverse = jsc.broadcast(design.inverse());
      Broadcast<long[]> done = jsc.broadcast(pickedArray());
      List<PartitionTop> tops;
      try {
        tops = candidates.mapPartitions(
                (Iterator<CandidateBlock> it) -> {
                  List<PartitionTop> out = new ArrayList<>(1);
                  while (it.hasNext()) {
                    out.add(PartitionScorer.topK(it.next(), inverse.value(), done.value(), k));
                  }
                  return out.iterator();
                })
            .collect();
      } finally {
        inverse.destroy();
        done.destroy();
      }
      int made = CertifiedGreedy.round(tops, design, n - picks.size(), this::record);
      if (made == 0) {
        break;
      }
      progress.round(rounds, picks.size(), n, picks.get(picks.size() - 1).gain());
    }
  }

  private void subsets(JavaRDD<CandidateBlock> candidates, long n, int size) {
    long seed = settings.seed();
    while (picks.size() < n) {
      rounds++;
      long step = picks.size() + 1;
      SparkJobs.describe(spark, "select pick " + step + " of " + n + " (" + size + " random candidates)");
      Broadcast<long[]> done = jsc.broadcast(pickedArray());
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
        c = new Candidate(c.ord, c.id, c.phi, c.weight, c.scale, design.score(c.phi, 0, c.scale));
        if (best == null || Candidate.BEST_FIRST.compare(c, best) < 0) {
          best = c;
        }
      }
      record(best, best.score());
      design.add(best.phi, 0, best.scale);
      progress.round(rounds, picks.size(), n, picks.get(picks.size() - 1).gain());
    }
  }

  private void uniform(JavaRDD<CandidateBlock> candidates, long n) {
    long seed = settings.seed();
    int m = (int) n;
    rounds++;
    SparkJobs.describe(spark, "select " + n + " uniform picks");
    List<List<Keyed>> lists =
        candidates.map(b -> PartitionScorer.smallestKeys(b, seed, 0, new long[0], m)).collect();
    for (Keyed kc : smallest(lists, m)) {
      Candidate c = kc.candidate();
      double score = design.score(c.phi, 0, c.scale);
      record(c, score);
      design.add(c.phi, 0, c.scale);
    }
    if (!picks.isEmpty()) {
      progress.round(rounds, picks.size(), n, picks.get(picks.size() - 1).gain());
    }
  }

  private static List<Keyed> smallest(List<List<Keyed>> lists, int size) {
    List<Keyed> all = new ArrayList<>();
    lists.forEach(all::addAll);
    all.sort(PartitionScorer::byKey);
    return all.size() > size ? all.subList(0, size) : all;
  }

  private void record(Candidate c, double score) {
    picks.add(new Pick(c.ord, c.id, picks.size() + 1, Math.log1p(score), c.weight));
    picked.add(c.ord);
  }

  private long[] pickedArray() {
    long[] a = new long[picked.size()];
    int i = 0;
    for (long v : picked) {
      a[i++] = v;
    }
    return a;
  }

  public int rounds() {
    return rounds;
  }

  /** log det H of the final design (Cholesky of H). */
  public double logDet() {
    return design.logDet();
  }

}
