package org.adpo.spark;

import org.adpo.data.PoolBlock;
import org.adpo.select.Algorithm;
import org.adpo.select.CandidateBlock;
import org.adpo.select.CandidateWeights;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * The one way candidate blocks are built from pool blocks, for the offline, warm-start, online and resumed
 * paths: each row weighed by {@link CandidateWeights} under theta (and Sigma_hat), on the executors, cached.
 * theta and Sigma_hat travel as broadcasts that live in {@code scope} (a cached RDD refers to them for as
 * long as it is used).
 */
final class Candidates {
  private Candidates() {}

  /**
   * The candidate blocks of {@code blocks}, persisted (memory and disk) under {@code name} but not computed.
   *
   * @param theta null when the algorithm's weights need none
   * @param sigmaHat null unless the weights are UCB (alpha > 0)
   */
  static JavaRDD<CandidateBlock> weigh(BroadcastScope scope, JavaRDD<PoolBlock> blocks, Algorithm algorithm,
      double beta, double[] theta, double alpha, double[] sigmaHat, String name) {
    return weigh(scope, blocks, null, algorithm, beta, theta, alpha, sigmaHat, name);
  }

  /**
   * As {@link #weigh(BroadcastScope, JavaRDD, Algorithm, double, double[], double, double[], String)}, the
   * new blocks sharing the features of {@code features} (candidate blocks of the same pool blocks, cached for
   * as long as the new ones are used; null = make them): small d stores the features as a tiled copy
   * ({@link org.adpo.design.FeatureTiles}), and a second set of weights needs no second copy.
   */
  static JavaRDD<CandidateBlock> weigh(BroadcastScope scope, JavaRDD<PoolBlock> blocks, JavaRDD<CandidateBlock> features,
      Algorithm algorithm, double beta, double[] theta, double alpha, double[] sigmaHat, String name) {
    Broadcast<double[]> thetaBc = theta == null ? null : scope.broadcast(theta);
    Broadcast<double[]> sigmaBc = sigmaHat == null ? null : scope.broadcast(sigmaHat);
    JavaRDD<CandidateBlock> candidates = features == null
        ? blocks.map(p -> CandidateWeights.apply(p, algorithm, beta,
            thetaBc == null ? null : thetaBc.value(), alpha, sigmaBc == null ? null : sigmaBc.value()))
        : PartitionZip.zip(blocks, features, (java.util.Iterator<PoolBlock> ps, java.util.Iterator<CandidateBlock> fs) -> {
          java.util.List<CandidateBlock> out = new java.util.ArrayList<>(1);
          while (ps.hasNext()) {
            out.add(CandidateWeights.apply(ps.next(), fs.next(), algorithm, beta,
                thetaBc == null ? null : thetaBc.value(), alpha, sigmaBc == null ? null : sigmaBc.value()));
          }
          return out.iterator();
        });
    candidates.persist(StorageLevel.MEMORY_AND_DISK());
    candidates.setName(name);
    return candidates;
  }
}
