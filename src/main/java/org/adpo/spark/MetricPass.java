package org.adpo.spark;

import java.util.Collections;
import java.util.Iterator;
import org.adpo.data.PoolBlock;
import org.adpo.eval.MetricKernel;
import org.adpo.eval.MetricSums;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The pool metrics of a whole stack of thetas in one Spark job: the {@link MetricKernel} (all
 * thetas and theta_star) is broadcast, each partition feeds its rows into one {@link MetricSums},
 * the partials are combined by {@code treeReduce}, and the broadcast is destroyed afterwards.
 */
final class MetricPass {
  private static final int TREE_DEPTH = 2;

  private MetricPass() {}

  public static MetricSums run(JavaRDD<PoolBlock> blocks, MetricKernel kernel) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<MetricKernel> bc = sc.broadcast(kernel);
    try {
      sc.setJobDescription("adpo: evaluate: metrics of " + kernel.size() + " thetas over the pool");
      return blocks.mapPartitions(it -> partial(it, bc)).treeReduce((a, b) -> a.merge(b), TREE_DEPTH);
    } finally {
      bc.destroy();
    }
  }

  // Static: the closure captures only the broadcast handle.
  private static Iterator<MetricSums> partial(Iterator<PoolBlock> it, Broadcast<MetricKernel> bc) {
    MetricKernel kernel = bc.value();
    MetricSums sums = kernel.newSums();
    while (it.hasNext()) {
      PoolBlock p = it.next();
      kernel.add(sums, p.phi, p.rows, p.b, p.s);
    }
    return Collections.singletonList(sums).iterator();
  }
}
