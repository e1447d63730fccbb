package org.adpo.spark;

import java.util.List;
import org.adpo.design.InverseDesign;
import org.adpo.select.CandidateBlock;
import org.adpo.select.GatherPlan;
import org.adpo.select.PartitionTop;
import org.adpo.select.PickBatch;
import org.apache.spark.api.java.JavaRDD;

/**
 * Where the lazy loop's per-partition work runs: the stored scores of every candidate and the three
 * operations on them. {@link ExecutorRounds} keeps them in cached RDDs on the executors (one Spark job
 * per round); {@link DriverRounds} keeps the blocks and scores in the driver and runs the same
 * per-partition functions ({@link org.adpo.select.PartitionScorer}) on driver threads, with no job
 * per round. Both call those functions on the same blocks, with the same partition indices, so the
 * gathered rows, and with them every round and every pick, are the same.
 */
interface LazyRounds extends AutoCloseable {
  /** Partitions (blocks keep the partition index they have in the candidate RDD). */
  int partitions();

  /** Stored scores := the exact v^T H^-1 v under {@code inverse}; rows in {@code picked} (sorted) get -Infinity. */
  void refresh(String description, InverseDesign.Vectors inverse, long[] picked);

  /** Lowers the stored scores by a batch of picks (they stay upper bounds). */
  void downdate(PickBatch batch);

  /** Each partition's rows above the plan's threshold, partitions in order. */
  List<PartitionTop> gather(String description, GatherPlan plan);

  /** The candidates of a new generation (online refit: new scales); a {@link #refresh} follows. */
  void candidates(JavaRDD<CandidateBlock> next);

  /** Checkpoints made (executor rounds only). */
  int checkpoints();

  /** "executors" or "driver". */
  String where();

  @Override
  void close();
}
