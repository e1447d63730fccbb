package org.adpo.design;

import java.io.Serializable;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The driver's design H = gamma I + sum v v^T, kept in low-rank form: its inverse is
 * A = H^-1 = I/gamma - sum_k t_k t_k^T, and only the pick vectors t_k (and the picks' v_k, for
 * log det H) are stored, never a d x d matrix. A pick costs O(d t) after t picks (Sherman-Morrison
 * on the low-rank form), a score O(d t), and what travels to the executors for an exact refresh is
 * the t x d matrix of pick vectors ({@link Vectors}), not d^2 numbers.
 *
 * <p>The one exact scoring formula is {@link #partial} followed by {@link #finish}: for a row phi
 * (float32 features widened to double) the unscaled score is |phi|^2 / gamma minus (phi . t_k)^2
 * for k = 1, 2, ... in pick order, every dot summed sequentially over j; the score is
 * max(0, scale^2 s). Because each subtraction depends only on phi and t_k, continuing a partial
 * value from pick a to pick b gives bit for bit the value computed from scratch; the driver keeps
 * the partial values of gathered rows from round to round on that basis, and executors compute the
 * same number with the same static code on the broadcast {@link Vectors}.
 */
public final class InverseDesign {
  private final int d;
  private final double gamma;
  /** Pick vectors t_k, k-major, double: A = I/gamma - sum t_k t_k^T. */
  private double[] t;
  /** The picks' design vectors v_k = scale_k phi_k, k-major (for log det H). */
  private double[] v;
  private int count;

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
   * The low-rank inverse as it travels to the executors: A = I/gamma - sum_{k < count} t_k t_k^T
   * (t k-major, count x d). Immutable once made.
   */
  public static final class Vectors implements Serializable {
    private static final long serialVersionUID = 1L;
    public final int d;
    public final double gamma;
    public final int count;
    public final double[] t;

    Vectors(int d, double gamma, int count, double[] t) {
      this.d = d;
      this.gamma = gamma;
      this.count = count;
      this.t = t;
    }

    /** The exact score of a float32 row under this inverse ({@link #partial} then {@link #finish}). */
    public double score(float[] phi, int off, double scale) {
      return finish(partial(phi, off, d, gamma, t, 0, count, initial(phi, off, d, gamma)), scale);
    }
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

  /** The current exact score of a candidate under this design (O(d t)). */
  public double score(double[] phi, int off, double scale) {
    return finish(partial(phi, off, d, gamma, t, 0, count, initial(phi, off, d, gamma)), scale);
  }

  /** The unscaled partial score of a row continued from pick {@code from} to the current pick count. */
  public double extend(double[] phi, double s, int from) {
    return partial(phi, 0, d, gamma, t, from, count, s);
  }

  /** The unscaled score of a row under H_0 = gamma I. */
  public double initial(double[] phi) {
    return initial(phi, 0, d, gamma);
  }

  /**
   * Adds v v^T with v = scale * phi. By Sherman-Morrison, A loses (A v)(A v)^T / (1 + v^T A v), which
   * is appended as t = A v / sqrt(1 + v^T A v), where A v = v/gamma - sum_k t_k (t_k . v) costs O(d t).
   *
   * @return t: every row x's score scale_x^2 x^T A x falls by scale_x^2 (x . t)^2 (the downdate)
   */
  public double[] add(double[] phi, int off, double scale) {
    double[] vv = new double[d];
    for (int j = 0; j < d; j++) {
      vv[j] = scale * phi[off + j];
    }
    double[] u = new double[d];
    for (int j = 0; j < d; j++) {
      u[j] = vv[j] / gamma;
    }
    // u = vv/gamma - sum_k (t_k . vv) t_k. The coefficients c_k depend on vv alone, not on u, so four
    // picks are taken at a time: their dots run as four independent chains (each summed sequentially over
    // j), and u[j] loses c_k t_k[j] for k in pick order. Every value is bit for bit the one-pick-at-a-time
    // loop's (InverseDesignTest); only the latency of the chains overlaps.
    int k = 0;
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
    return u;
  }

  /** The pick vectors so far, for the executors' exact refresh (count x d doubles). */
  public Vectors vectors() {
    return new Vectors(d, gamma, count, Arrays.copyOf(t, count * d));
  }

  /** A = H^-1 as a dense row-major d x d matrix, O(t d^2): for checks on small d only. */
  public double[] inverse() {
    double[] a = new double[d * d];
    for (int i = 0; i < d; i++) {
      a[i * d + i] = 1.0 / gamma;
    }
    for (int k = 0; k < count; k++) {
      int b = k * d;
      for (int i = 0; i < d; i++) {
        double ti = t[b + i];
        for (int j = 0; j < d; j++) {
          a[i * d + j] -= ti * t[b + j];
        }
      }
    }
    return a;
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
