package org.adpo.design;

import java.io.Serializable;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The driver's design H = gamma I + sum v v^T and its inverse A = H^-1 = I/gamma - sum_k t_k t_k^T, kept as
 * the pick vectors t_k (and the picks' v_k, for log det H) plus, once there are d picks or more, one dense
 * matrix: A at the last anchor, the largest multiple of d picks so far ({@link #anchorOf}). A pick costs
 * O(d min(t, d)) (Sherman-Morrison: A v from the anchor's matrix and at most d - 1 later pick vectors), a
 * score the same, and what travels to the executors for an exact refresh is the anchor's matrix (if any)
 * and the at most d - 1 pick vectors after it ({@link Vectors}): below d picks the t x d pick vectors alone,
 * never more than 2 d^2 numbers. Without anchors, a pick and a score would cost O(d t) however large t
 * grows past d (85 times the dense cost at t = 2^15, d = 384). A d x d matrix too large for one Java array
 * is never formed; the form then stays the pick vectors alone.
 *
 * <p>The one exact scoring formula ({@link #exact}, then {@link #finish}): for a row phi (float32 features
 * widened to double) after t picks with anchor a, the unscaled score is D_a(phi) minus (phi . t_k)^2 for
 * k = a .. t-1 in pick order, every dot summed sequentially over j ({@link #partial}), and the score is
 * max(0, scale^2 s). D_0 = |phi|^2 / gamma summed sequentially ({@link #initial}); D_a for a >= d is
 * phi^T A_a phi ({@link #denseUnscaled}), with A_a formed from I/gamma by subtracting t_k t_k^T for k < a in
 * pick order. The value depends only on phi and the picks, not on when or where it is computed. Within one
 * anchor each subtraction depends only on phi and t_k, so continuing a partial value from pick b to pick c
 * gives bit for bit the value computed from scratch; the driver keeps the partial values of gathered rows
 * from round to round on that basis and recomputes a value whose anchor has passed ({@link #extend}), and
 * executors compute the same number with the same static code on the broadcast {@link Vectors}.
 */
public final class InverseDesign {
  private final int d;
  private final double gamma;
  /** Pick vectors t_k, k-major, double: A = I/gamma - sum t_k t_k^T. */
  private double[] t;
  /** The picks' design vectors v_k = scale_k phi_k, k-major (for log det H). */
  private double[] v;
  private int count;
  /** The last anchor ({@link #anchorOf} of count) and A there, row-major d x d (null while the anchor is 0). */
  private int anchor;
  private double[] anchored;

  public InverseDesign(int d, double gamma) {
    if (d < 1 || !(gamma > 0)) {
      throw new IllegalArgumentException("need d >= 1 and gamma > 0");
    }
    this.d = d;
    this.gamma = gamma;
    this.t = new double[d * 4];
    this.v = new double[d * 4];
  }

  /**
   * The inverse as it travels to the executors: the anchor a, A_a (null when a = 0) and the pick vectors
   * t_a .. t_{count-1} (k-major, (count - a) x d). Immutable once made.
   */
  public static final class Vectors implements Serializable {
    private static final long serialVersionUID = 1L;
    public final int d;
    public final double gamma;
    public final int count;
    final int anchor;
    final double[] anchored;
    /** The pick vectors after the anchor. */
    final double[] t;

    Vectors(int d, double gamma, int count, int anchor, double[] anchored, double[] t) {
      this.d = d;
      this.gamma = gamma;
      this.count = count;
      this.anchor = anchor;
      this.anchored = anchored;
      this.t = t;
    }

    /** The exact score of a float32 row under this inverse: the driver's {@link InverseDesign#score}, bit for bit. */
    public double score(float[] phi, int off, double scale) {
      double s = anchored == null ? initial(phi, off, d, gamma) : denseUnscaled(anchored, d, phi, off);
      return finish(partial(phi, off, d, gamma, t, 0, count - anchor, s), scale);
    }
  }

  /**
   * The anchor after {@code picks} picks: the largest multiple of d not above it, or 0 below d picks or when a
   * d x d matrix does not fit in one Java array.
   */
  public static int anchorOf(int d, long picks) {
    if (picks < d || (long) d * d > Integer.MAX_VALUE - 8) {
      return 0;
    }
    return (int) (picks / d * d);
  }

  /**
   * phi^T A phi for a dense symmetric A: w = A phi as sum_j phi_j A_j (row j of A is its column j), each w_i
   * summed over j in order, then phi . w summed in order. The inner loop is an element-wise update the JIT
   * vectorises; no sum is reordered, so the float32 and double forms agree bit for bit on a widened row.
   */
  static double denseUnscaled(double[] a, int d, float[] phi, int off) {
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      double x = phi[off + j];
      int b = j * d;
      for (int i = 0; i < d; i++) {
        w[i] += x * a[b + i];
      }
    }
    double q = 0;
    for (int i = 0; i < d; i++) {
      q += phi[off + i] * w[i];
    }
    return q;
  }

  /** {@link #denseUnscaled(double[], int, float[], int)} on a row widened to double (the same bits). */
  static double denseUnscaled(double[] a, int d, double[] phi, int off) {
    double[] w = product(a, d, phi, off);
    double q = 0;
    for (int i = 0; i < d; i++) {
      q += phi[off + i] * w[i];
    }
    return q;
  }

  /** A x for a dense symmetric A, as sum_j x_j (row j of A), each component summed over j in order. */
  private static double[] product(double[] a, int d, double[] x, int off) {
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      double xj = x[off + j];
      int b = j * d;
      for (int i = 0; i < d; i++) {
        w[i] += xj * a[b + i];
      }
    }
    return w;
  }

  /** |phi|^2 / gamma, summed sequentially: the unscaled score under H_0 = gamma I. */
  public static double initial(float[] phi, int off, int d, double gamma) {
    double sq = 0;
    for (int j = 0; j < d; j++) {
      double x = phi[off + j];
      sq += x * x;
    }
    return sq / gamma;
  }

  /** The same for a row already widened to double (bit for bit equal on the widened row). */
  public static double initial(double[] phi, int off, int d, double gamma) {
    double sq = 0;
    for (int j = 0; j < d; j++) {
      double x = phi[off + j];
      sq += x * x;
    }
    return sq / gamma;
  }

  /**
   * Continues an unscaled score s from pick {@code from} to pick {@code to}: s - (phi . t_k)^2 for
   * k = from .. to-1 in order, each dot summed sequentially over j. Four dots are accumulated side by
   * side (independent chains, for speed); each keeps its own sequential order, so the result does
   * not depend on how the range is split.
   */
  public static double partial(float[] phi, int off, int d, double gamma, double[] t, int from, int to, double s) {
    int k = from;
    for (; k + 4 <= to; k += 4) {
      int b0 = k * d;
      int b1 = b0 + d;
      int b2 = b1 + d;
      int b3 = b2 + d;
      double a0 = 0;
      double a1 = 0;
      double a2 = 0;
      double a3 = 0;
      for (int j = 0; j < d; j++) {
        double x = phi[off + j];
        a0 += x * t[b0 + j];
        a1 += x * t[b1 + j];
        a2 += x * t[b2 + j];
        a3 += x * t[b3 + j];
      }
      s -= a0 * a0;
      s -= a1 * a1;
      s -= a2 * a2;
      s -= a3 * a3;
    }
    for (; k < to; k++) {
      int b = k * d;
      double a = 0;
      for (int j = 0; j < d; j++) {
        a += (double) phi[off + j] * t[b + j];
      }
      s -= a * a;
    }
    return s;
  }

  /** {@link #partial(float[], int, int, double, double[], int, int, double)} on a row widened to double. */
  public static double partial(double[] phi, int off, int d, double gamma, double[] t, int from, int to, double s) {
    int k = from;
    for (; k + 4 <= to; k += 4) {
      int b0 = k * d;
      int b1 = b0 + d;
      int b2 = b1 + d;
      int b3 = b2 + d;
      double a0 = 0;
      double a1 = 0;
      double a2 = 0;
      double a3 = 0;
      for (int j = 0; j < d; j++) {
        double x = phi[off + j];
        a0 += x * t[b0 + j];
        a1 += x * t[b1 + j];
        a2 += x * t[b2 + j];
        a3 += x * t[b3 + j];
      }
      s -= a0 * a0;
      s -= a1 * a1;
      s -= a2 * a2;
      s -= a3 * a3;
    }
    for (; k < to; k++) {
      int b = k * d;
      double a = 0;
      for (int j = 0; j < d; j++) {
        a += phi[off + j] * t[b + j];
      }
      s -= a * a;
    }
    return s;
  }

  /** The score from an unscaled partial value: max(0, scale^2 s) (a negative s is round-off). */
  public static double finish(double s, double scale) {
    return Math.max(0.0, scale * scale * s);
  }

  /** v^T A v for v = scale * phi[off .. off+d) and a dense row-major d x d A (e.g. Sigma_hat). */
  public static double score(double[] inverse, int d, float[] phi, int off, double scale) {
    double q = 0;
    for (int i = 0; i < d; i++) {
      double row = 0;
      int base = i * d;
      for (int j = 0; j < d; j++) {
        row += inverse[base + j] * (double) phi[off + j];
      }
      q += (double) phi[off + i] * row;
    }
    return Math.max(0.0, scale * scale * q);
  }

  /** The current exact score of a candidate under this design (O(d min(t, d))). */
  public double score(double[] phi, int off, double scale) {
    return finish(exact(phi, off), scale);
  }

  /** The current exact unscaled score of a row, from scratch (the one formula, see the class comment). */
  public double exact(double[] phi, int off) {
    double s = anchored == null ? initial(phi, off, d, gamma) : denseUnscaled(anchored, d, phi, off);
    return partial(phi, off, d, gamma, t, anchor, count, s);
  }

  /**
   * The current unscaled score of a row whose value {@code s} was current through pick {@code from}: s
   * continued by the later picks when {@code from} is at or after the current anchor (bit for bit the value
   * from scratch), else the value from scratch (its anchor has passed).
   */
  public double extend(double[] phi, double s, int from) {
    if (from < anchor) {
      return exact(phi, 0);
    }
    return partial(phi, 0, d, gamma, t, from, count, s);
  }

  /**
   * Adds v v^T with v = scale * phi. By Sherman-Morrison, A loses (A v)(A v)^T / (1 + v^T A v), which
   * is appended as t = A v / sqrt(1 + v^T A v), where A v = A_a v - sum_{k >= a} t_k (t_k . v) costs
   * O(d min(t, d)) (A_a v = v / gamma at anchor 0). When the pick count reaches a multiple of d, the next
   * anchor's matrix is formed.
   *
   * @return t: every row x's score scale_x^2 x^T A x falls by scale_x^2 (x . t)^2 (the downdate)
   */
  public double[] add(double[] phi, int off, double scale) {
    double[] vv = new double[d];
    for (int j = 0; j < d; j++) {
      vv[j] = scale * phi[off + j];
    }
    double[] u;
    if (anchored == null) {
      u = new double[d];
      for (int j = 0; j < d; j++) {
        u[j] = vv[j] / gamma;
      }
    } else {
      u = product(anchored, d, vv, 0);
    }
    // u = A_a vv - sum_{k >= a} (t_k . vv) t_k. The coefficients c_k depend on vv alone, not on u, so four
    // picks are taken at a time: their dots run as four independent chains (each summed sequentially over
    // j), and u[j] loses c_k t_k[j] for k in pick order. Every value is bit for bit the one-pick-at-a-time
    // loop's (InverseDesignTest); only the latency of the chains overlaps.
    int k = anchor;
    for (; k + 4 <= count; k += 4) {
      int b0 = k * d;
      int b1 = b0 + d;
      int b2 = b1 + d;
      int b3 = b2 + d;
      double c0 = 0;
      double c1 = 0;
      double c2 = 0;
      double c3 = 0;
      for (int j = 0; j < d; j++) {
        double x = vv[j];
        c0 += t[b0 + j] * x;
        c1 += t[b1 + j] * x;
        c2 += t[b2 + j] * x;
        c3 += t[b3 + j] * x;
      }
      for (int j = 0; j < d; j++) {
        double w = u[j];
        w -= c0 * t[b0 + j];
        w -= c1 * t[b1 + j];
        w -= c2 * t[b2 + j];
        w -= c3 * t[b3 + j];
        u[j] = w;
      }
    }
    for (; k < count; k++) {
      int b = k * d;
      double c = 0;
      for (int j = 0; j < d; j++) {
        c += t[b + j] * vv[j];
      }
      for (int j = 0; j < d; j++) {
        u[j] -= c * t[b + j];
      }
    }
    double q = 0;
    for (int j = 0; j < d; j++) {
      q += vv[j] * u[j];
    }
    double f = 1.0 / Math.sqrt(1.0 + Math.max(0.0, q));
    for (int j = 0; j < d; j++) {
      u[j] *= f;
    }
    if ((long) (count + 1) * d > t.length) {
      int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) (count + 1) * d, 2L * t.length));
      t = Arrays.copyOf(t, cap);
      v = Arrays.copyOf(v, cap);
    }
    System.arraycopy(u, 0, t, count * d, d);
    System.arraycopy(vv, 0, v, count * d, d);
    count++;
    int next = anchorOf(d, count);
    if (next != anchor) {
      anchored = inverseAt(next);
      anchor = next;
    }
    return u;
  }

  /**
   * A after {@code picks} picks (at or after the current anchor), row-major: A_a, or I/gamma, then each entry
   * losing t_ki t_kj for k = a .. picks-1 in pick order (t_ki t_kj and t_kj t_ki are the same double, so A is
   * exactly symmetric). O(d^2) per pick vector; forming the next anchor costs O(d^3) once every d picks.
   */
  private double[] inverseAt(int picks) {
    double[] a;
    if (anchored != null) {
      a = anchored.clone();
    } else {
      a = new double[d * d];
      for (int i = 0; i < d; i++) {
        a[i * d + i] = 1.0 / gamma;
      }
    }
    for (int k = anchor; k < picks; k++) {
      int b = k * d;
      for (int i = 0; i < d; i++) {
        double ti = t[b + i];
        int r = i * d;
        for (int j = 0; j < d; j++) {
          a[r + j] -= ti * t[b + j];
        }
      }
    }
    return a;
  }

  /** The inverse for the executors' exact refresh: the anchor's matrix and the pick vectors after it. */
  public Vectors vectors() {
    return new Vectors(d, gamma, count, anchor, anchored == null ? null : anchored.clone(),
        Arrays.copyOfRange(t, anchor * d, count * d));
  }

  /** The pick vectors t_k so far (count x d, k-major). */
  public double[] pickVectors() {
    return Arrays.copyOf(t, count * d);
  }

  /** A = H^-1 as a dense row-major d x d matrix (O(d^2 min(t, d))): for checks. */
  public double[] inverse() {
    return inverseAt(count);
  }

  /**
   * log det H by a Cholesky factorisation built from the picks' v_k (independent of the running
   * inverse): of H = gamma I + V^T V (d x d) when d <= t, else of the t x t matrix I + V V^T / gamma,
   * with log det H = d log gamma + log det (I + V V^T / gamma) (Sylvester's determinant identity).
   */
  public double logDet() {
    boolean primal = d <= count;
    int m = primal ? d : count;
    if (m == 0) {
      return d * Math.log(gamma);
    }
    DMatrixRMaj g = new DMatrixRMaj(m, m);
    double[] gd = g.data;
    if (primal) {
      for (int k = 0; k < count; k++) {
        int b = k * d;
        for (int i = 0; i < d; i++) {
          double vi = v[b + i];
          for (int j = 0; j <= i; j++) {
            gd[i * m + j] += vi * v[b + j];
          }
        }
      }
      for (int i = 0; i < m; i++) {
        gd[i * m + i] += gamma;
      }
    } else {
      for (int i = 0; i < count; i++) {
        for (int j = 0; j <= i; j++) {
          double s = 0;
          for (int x = 0; x < d; x++) {
            s += v[i * d + x] * v[j * d + x];
          }
          gd[i * m + j] = s / gamma;
        }
        gd[i * m + i] += 1.0;
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = i + 1; j < m; j++) {
        gd[i * m + j] = gd[j * m + i];
      }
    }
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(m, true);
    if (!chol.decompose(g)) {
      throw new IllegalStateException("design matrix is not positive definite");
    }
    DMatrixRMaj l = chol.getT(null);
    double s = 0;
    for (int i = 0; i < m; i++) {
      s += Math.log(l.get(i, i));
    }
    return 2 * s + (primal ? 0 : d * Math.log(gamma));
  }

  /** Number of rank-one updates so far (t). */
  public int updates() {
    return count;
  }
}
