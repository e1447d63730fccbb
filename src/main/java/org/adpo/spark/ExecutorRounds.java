package org.adpo.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.adpo.design.InverseDesign;
import org.adpo.design.ScoreKernel;
import org.adpo.design.ScoreKernels;
import org.adpo.select.CandidateBlock;
import org.adpo.select.GatherPlan;
import org.adpo.select.PartitionScorer;
import org.adpo.select.PartitionTop;
import org.adpo.select.PickBatch;
import org.adpo.select.ScoreState;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The lazy loop's stored scores on the executors: a cached {@link ScoreState} per partition, one
 * generation per round. A downdate is a narrow transformation of the last generation, materialised by
 * the next gather (one Spark job per round); every {@code checkpointEvery} downdates the lineage is cut
 * by a checkpoint, and only then are the broadcasts the uncut lineage refers to destroyed. A refresh
 * starts a new lineage (materialised at once) and retires the old one with its broadcasts.
 */
final class ExecutorRounds implements LazyRounds {
  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final int checkpointEvery;
  /** Test-only injected task failures; null unless configured. */
  private final FaultInjection faults;
  /** Run after a refresh has replaced the lineage (the online learner drops old candidate generations). */
  private final Runnable afterRefresh;
  private JavaRDD<CandidateBlock> candidates;
  private JavaRDD<ScoreState> state;
  /** The generation the next gather makes obsolete (unpersisted after it), or null. */
  private JavaRDD<ScoreState> previous;
  /** The last downdate was checkpointed: after the next gather, the epoch's broadcasts can go. */
  private boolean cut;
  private BroadcastScope epoch;
  private int sinceCheckpoint;
  private int checkpoints;
  private String checkpointFile; // the files of the last reliable checkpoint

  ExecutorRounds(SparkSession spark, JavaRDD<CandidateBlock> candidates, double gamma, int checkpointEvery,
      FaultInjection faults, Runnable afterRefresh) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.checkpointEvery = checkpointEvery;
    this.faults = faults;
    this.afterRefresh = afterRefresh;
    this.candidates = candidates;
    this.epoch = new BroadcastScope(jsc);
    this.state = candidates.map(b -> new ScoreState(PartitionScorer.initialScores(b, gamma)));
    state.persist(StorageLevel.MEMORY_AND_DISK());
  }

  @Override
  public int partitions() {
    return Math.max(1, candidates.getNumPartitions());
  }

  @Override
  public String where() {
    return "executors";
  }

  @Override
  public int checkpoints() {
    return checkpoints;
  }

  @Override
  public void candidates(JavaRDD<CandidateBlock> next) {
    candidates = next;
  }

  @Override
  public void refresh(String description, InverseDesign.Vectors inverse, long[] picked) {
    SparkJobs.describe(spark, description);
    JavaRDD<ScoreState> old = state;
    BroadcastScope next = new BroadcastScope(jsc);
    Broadcast<InverseDesign.Vectors> inv = next.broadcast(inverse);
    Broadcast<long[]> done = next.broadcast(picked);
    state = candidates.map(b -> new ScoreState(PartitionScorer.exactScores(b, inv.value(), done.value())));
    state.persist(StorageLevel.MEMORY_AND_DISK());
    state.count(); // materialise before the old lineage and its broadcasts go
    old.unpersist(false);
    epoch.close();
    epoch = next;
    afterRefresh.run();
    sinceCheckpoint = 0;
    previous = null;
    cut = false;
  }

  @Override
  public void downdate(PickBatch picks) {
    FaultInjection inject = faults;
    Broadcast<PickBatch> batch = epoch.broadcast(picks);
    previous = state;
    state = PartitionZip.zip(candidates, state, (Iterator<CandidateBlock> bs, Iterator<ScoreState> ss) -> {
      List<ScoreState> out = new ArrayList<>(1);
      while (bs.hasNext()) {
        CandidateBlock b = bs.next();
        double[] scores = ss.next().scores.clone();
        PickBatch pb = batch.value();
        // Each executor JVM picks its own kernel (it may lack the incubator module).
        ScoreKernel kernel = ScoreKernels.best();
        PartitionScorer.downdate(b, scores, kernel, pb.t, pb.size, pb.errors(kernel, b.d), pb.ords);
        out.add(new ScoreState(scores));
      }
      if (inject != null) {
        inject.check("downdate"); // after the work, before the result is cached
      }
      return out.iterator();
    });
    if (++sinceCheckpoint >= checkpointEvery) {
      cut = true;
      sinceCheckpoint = 0;
      checkpoints++;
      if (jsc.getCheckpointDir().isPresent()) {
        state.persist(StorageLevel.MEMORY_AND_DISK());
        state.checkpoint();
      } else {
        state.rdd().localCheckpoint();
      }
    } else {
      state.persist(StorageLevel.MEMORY_AND_DISK());
    }
  }

  @Override
  public List<PartitionTop> gather(String description, GatherPlan plan) {
    SparkJobs.describe(spark, description);
    FaultInjection inject = faults;
    Broadcast<GatherPlan> planned = jsc.broadcast(plan);
    List<PartitionTop> tops;
    try {
      tops = PartitionZip.collect(PartitionZip.zip(candidates, state,
          (Iterator<CandidateBlock> bs, Iterator<ScoreState> ss) -> {
            if (inject != null) {
              inject.check("score");
            }
            GatherPlan gp = planned.value();
            int part = org.apache.spark.TaskContext.getPartitionId();
            List<PartitionTop> out = new ArrayList<>(1);
            while (bs.hasNext()) {
              out.add(PartitionScorer.topAbove(bs.next(), ss.next().scores, gp.threshold, gp.cap(part),
                  GatherPlan.SAMPLE, part));
            }
            return out.iterator();
          }));
    } finally {
      planned.destroy();
    }
    if (previous != null) {
      previous.unpersist(false);
      previous = null;
    }
    if (cut) {
      cut = false;
      epoch.close(); // the checkpoint has cut every lineage that referred to these broadcasts
      String file = state.rdd().getCheckpointFile().isDefined() ? state.rdd().getCheckpointFile().get() : null;
      if (file != null) {
        Checkpoints.delete(spark.sparkContext(), checkpointFile); // the previous state's, now unread
        checkpointFile = file;
      }
    }
    return tops;
  }

  @Override
  public void close() {
    state.unpersist(false);
    epoch.close();
    Checkpoints.delete(spark.sparkContext(), checkpointFile);
  }
}
