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
    return format(sums[0], sums[1]);
  }

  /** The two fingerprints of {@link #withLabels} from the sums of their row hashes. */
  static String[] format(long sum, long labelled) {
    return new String[] {SCHEME + String.format(Locale.ROOT, "%016x", sum),
        LABELS_SCHEME + String.format(Locale.ROOT, "%016x", labelled)};
  }

  /** Prefix of the labels-and-weights fingerprint. */
  static final String LABELS_SCHEME = "rows-labels-weights-sum64-v1:";

  private static long[] blockSums(PoolBlock p) {
    return sums(p.ords, p.ids, p.phi, p.b, p.s, p.weight, p.rows, p.d);
  }

  /**
   * {sum of the row hashes, sum of the labelled hashes} of the first {@code rows} rows of a block's
   * arrays ({@code ids} null for integer ids). Four rows are hashed side by side: each row's hash is a
   * chain of d dependent steps, so four independent chains keep the processor busy; every row's hash
   * is still the one {@link #rowHash} computes, and a sum modulo 2^64 does not depend on the order.
   */
  static long[] sums(long[] ords, String[] ids, float[] phi, double[] b, double[] s, double[] w, int rows, int d) {
    long sum = 0;
    long labelled = 0;
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      long h0 = start(ords, ids, i);
      long h1 = start(ords, ids, i + 1);
      long h2 = start(ords, ids, i + 2);
      long h3 = start(ords, ids, i + 3);
      int a0 = i * d;
      int a1 = a0 + d;
      int a2 = a1 + d;
      int a3 = a2 + d;
      for (int c = 0; c < d; c++) {
        h0 = SeededHash.mix(h0 ^ (Float.floatToIntBits(phi[a0 + c] + 0.0f) & 0xffffffffL) * 0xd1b54a32d192ed03L);
        h1 = SeededHash.mix(h1 ^ (Float.floatToIntBits(phi[a1 + c] + 0.0f) & 0xffffffffL) * 0xd1b54a32d192ed03L);
        h2 = SeededHash.mix(h2 ^ (Float.floatToIntBits(phi[a2 + c] + 0.0f) & 0xffffffffL) * 0xd1b54a32d192ed03L);
        h3 = SeededHash.mix(h3 ^ (Float.floatToIntBits(phi[a3 + c] + 0.0f) & 0xffffffffL) * 0xd1b54a32d192ed03L);
      }
      h0 = SeededHash.mix(h0 ^ Double.doubleToLongBits(b[i] + 0.0));
      h1 = SeededHash.mix(h1 ^ Double.doubleToLongBits(b[i + 1] + 0.0));
      h2 = SeededHash.mix(h2 ^ Double.doubleToLongBits(b[i + 2] + 0.0));
      h3 = SeededHash.mix(h3 ^ Double.doubleToLongBits(b[i + 3] + 0.0));
      sum += h0 + h1 + h2 + h3;
      labelled += labelledHash(h0, s[i], w[i]) + labelledHash(h1, s[i + 1], w[i + 1])
          + labelledHash(h2, s[i + 2], w[i + 2]) + labelledHash(h3, s[i + 3], w[i + 3]);
    }
    for (; i < rows; i++) {
      long h = rowHash(start(ords, ids, i), phi, i * d, d, b[i]);
      sum += h;
      labelled += labelledHash(h, s[i], w[i]);
    }
    return new long[] {sum, labelled};
  }

  private static long start(long[] ords, String[] ids, int i) {
    return ids == null ? idHash(ords[i]) : stringHash(ids[i]);
  }

  /** The hash of a row (its {@link #rowHash}) combined with its label and weight. */
  static long labelledHash(long rowHash, double s, double weight) {
    // NaN (no label) has one bit pattern after doubleToLongBits; + 0.0 folds -0.0 into 0.0.
    return SeededHash.mix(SeededHash.mix(rowHash ^ Double.doubleToLongBits(s + 0.0) * 0x9e3779b97f4a7c15L)
        ^ Double.doubleToLongBits(weight + 0.0));
  }

  static long blockSum(PoolBlock p) {
    long sum = 0;
    for (int i = 0; i < p.rows; i++) {
      sum += rowHash(p, i);
    }
    return sum;
  }

  static long rowHash(PoolBlock p, int i) {
    return rowHash(p.ids == null ? idHash(p.ords[i]) : stringHash(p.ids[i]), p.phi, i * p.d, p.d, p.b[i]);
  }

  /** The start of an integer id's row hash. */
  static long idHash(long id) {
    return SeededHash.mix(id * 0x9e3779b97f4a7c15L + 1);
  }

  /** A row's hash from its id's ({@code h}), its float32 features {@code phi[at, at + d)} and b. */
  static long rowHash(long h, float[] phi, int at, int d, double b) {
    for (int c = 0; c < d; c++) {
      h = SeededHash.mix(h ^ (Float.floatToIntBits(phi[at + c] + 0.0f) & 0xffffffffL) * 0xd1b54a32d192ed03L);
    }
    return SeededHash.mix(h ^ Double.doubleToLongBits(b + 0.0));
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
