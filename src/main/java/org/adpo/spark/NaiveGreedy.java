package org.adpo.spark;

import java.util.List;
import org.adpo.design.InverseDesign;
import org.adpo.select.CandidateBlock;
import org.adpo.select.CertifiedGreedy;
import org.adpo.select.PartitionScorer;
import org.adpo.select.PartitionTop;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/** {@code --strategy naive}: one Spark job per pick that rescores every row against a broadcast H^-1 (for comparison). */
final class NaiveGreedy {
  private NaiveGreedy() {}

  static void run(SparkSession spark, GreedyState s, JavaRDD<CandidateBlock> candidates, long n) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    while (s.picks.size() < n) {
      s.rounds++;
      SparkJobs.describe(spark, "select pick " + (s.picks.size() + 1) + " of " + n + " (naive rescoring)");
      Broadcast<InverseDesign.Vectors> inverse = jsc.broadcast(s.design.vectors());
      Broadcast<long[]> done = jsc.broadcast(s.pickedArray());
      List<PartitionTop> tops;
      try {
        tops = candidates.map(b -> PartitionScorer.top(b,
            PartitionScorer.exactScores(b, inverse.value(), done.value()), 1)).collect();
      } finally {
        inverse.destroy();
        done.destroy();
      }
      CertifiedGreedy.Outcome o = CertifiedGreedy.round(tops, s.design, 1, true, s::record);
      if (o.picks() == 0) {
        break;
      }
      s.roundDone(n);
    }
  }
}
