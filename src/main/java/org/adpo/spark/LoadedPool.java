package org.adpo.spark;

import org.adpo.data.PoolBlock;
import org.adpo.data.PoolLayout;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A validated pool: the original DataFrame (for the output join), its layout, the cached decoded
 * blocks and what validation counted; {@code digests} are the pool's two fingerprints
 * ({@link PoolDigest#withLabels}) when the validating pass computed them (integer ids), else null. {@link #release()} unpersists the blocks.
 */
public record LoadedPool(
    Dataset<Row> frame, PoolLayout layout, JavaRDD<PoolBlock> blocks, long rows, int dimension,
    long ones, long zeros, String[] digests) {

  /** The pool section of report.json: {@link #describe} with the pool's fingerprint and cached bytes. */
  public org.adpo.io.SelectionReport.Pool report(String source, String fingerprint, long cachedCandidateBytes) {
    return new org.adpo.io.SelectionReport.Pool(source, rows, dimension, blocks.getNumPartitions(), ones, zeros,
        fingerprint, cachedCandidateBytes);
  }

  /** The pool's two fingerprints ({@link PoolDigest#withLabels}), from the validating pass when it took them. */
  public String[] fingerprints() {
    return digests != null ? digests : PoolDigest.withLabels(blocks);
  }

  public void release() {
    blocks.unpersist(false);
  }
}
