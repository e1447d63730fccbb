package org.adpo.spark;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.adpo.data.PoolBlock;
import org.adpo.select.SeededHash;
import org.apache.spark.api.java.JavaRDD;

/**
 * A content fingerprint of a validated pool, recorded in select's report.json so that evaluate can
 * tell whether a selection was made from the pool it is given. Each row hashes its id, its features
 * (as the float32 values the engine uses) and b; the fingerprint is the sum of the row hashes
 * modulo 2^64, so it depends neither on the partitioning nor on the row order, and it costs one
 * pass over the cached blocks. Labels and pass-through columns are left out: a selection made
 * without labels (dopt, apo, uniform) matches the same pool with labels added. Two pools with the
 * same rows share the fingerprint whatever their file format or path; any change of an id, a
 * feature value or b changes it (up to 64-bit hash collisions).
 */
final class PoolDigest {
  /** Prefix of the recorded value: the scheme, so a future scheme is never compared with this one. */
  public static final String SCHEME = "rows-sum64-v1:";

  private PoolDigest() {}

  /** The fingerprint of the pool's blocks (one Spark job). */
  public static String of(JavaRDD<PoolBlock> blocks) {
    SparkJobs.describe(org.apache.spark.sql.SparkSession.active(), "pool fingerprint");
    long sum = blocks.map(PoolDigest::blockSum).fold(0L, Long::sum);
    return SCHEME + String.format(Locale.ROOT, "%016x", sum);
  }

  /**
   * The fingerprint of {@link #of} and, from the same pass, a second one over what it leaves out and
   * a selection can depend on: each row's hash combined with its label s and its weight. A resumed
   * selection ({@link SelectionProgress}) requires both to match, since ADPO+'s theta fit and the
   * logged oracle read the labels. Returns {fingerprint, labels-and-weights fingerprint}.
   */
  static String[] withLabels(JavaRDD<PoolBlock> blocks) {
    SparkJobs.describe(org.apache.spark.sql.SparkSession.active(), "pool fingerprint");
    long[] sums = blocks.map(PoolDigest::blockSums).fold(new long[2], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    return new String[] {SCHEME + String.format(Locale.ROOT, "%016x", sums[0]),
        LABELS_SCHEME + String.format(Locale.ROOT, "%016x", sums[1])};
  }

  /** Prefix of the labels-and-weights fingerprint. */
  static final String LABELS_SCHEME = "rows-labels-weights-sum64-v1:";

  private static long[] blockSums(PoolBlock p) {
    long sum = 0;
    long labelled = 0;
    for (int i = 0; i < p.rows; i++) {
      long h = rowHash(p, i);
      sum += h;
      // NaN (no label) has one bit pattern after doubleToLongBits; + 0.0 folds -0.0 into 0.0.
      labelled += SeededHash.mix(SeededHash.mix(h ^ Double.doubleToLongBits(p.s[i] + 0.0) * 0x9e3779b97f4a7c15L)
          ^ Double.doubleToLongBits(p.weight[i] + 0.0));
    }
    return new long[] {sum, labelled};
  }

  static long blockSum(PoolBlock p) {
    long sum = 0;
    for (int i = 0; i < p.rows; i++) {
      sum += rowHash(p, i);
    }
    return sum;
  }

  static long rowHash(PoolBlock p, int i) {
    long h = p.ids == null ? SeededHash.mix(p.ords[i] * 0x9e3779b97f4a7c15L + 1) : stringHash(p.ids[i]);
    int d = p.d;
    for (int c = 0; c < d; c++) {
      h = SeededHash.mix(h ^ (Float.floatToIntBits(p.phi[i * d + c] + 0.0f) & 0xffffffffL) * 0xd1b54a32d192ed03L);
    }
    return SeededHash.mix(h ^ Double.doubleToLongBits(p.b[i] + 0.0));
  }

  private static long stringHash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return SeededHash.mix(h ^ 0x2f6b1d3a9c84e5b7L);
  }
}
