package org.adpo.data;

import java.util.Arrays;

/**
 * A generated pool of preference pairs plus the ground truth it was drawn from (see {@link PreferencePairs}).
 * Row i has id i, the feature difference {@code phi_i} (float32: compact on disk, the engine reads it as
 * double), the reference log-ratio {@code b_i = phi_i . theta_0}, the label {@code s_i}, and the image indices
 * of its positive and negative example. Pool-level values: the positive class, the pixel positions used as
 * features, the teacher {@code theta_bar} and the reference parameter {@code theta_0}.
 *
 * <p>Immutable: every array accessor returns a copy.
 */
public final class PairPool implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final PreferencePairs.Params params;
  private final int positiveClass;
  private final int[] pixelPositions;
  private final float[][] phi;
  private final double[] b;
  private final int[] s;
  private final int[] posIndex;
  private final int[] negIndex;
  private final double[] thetaBar;
  private final double[] theta0;
  private final int teacherIterations;

  PairPool(PreferencePairs.Params params, int positiveClass, int[] pixelPositions, float[][] phi, double[] b,
      int[] s, int[] posIndex, int[] negIndex, double[] thetaBar, double[] theta0, int teacherIterations) {
    this.params = params;
    this.positiveClass = positiveClass;
    this.pixelPositions = pixelPositions;
    this.phi = phi;
    this.b = b;
    this.s = s;
    this.posIndex = posIndex;
    this.negIndex = negIndex;
    this.thetaBar = thetaBar;
    this.theta0 = theta0;
    this.teacherIterations = teacherIterations;
  }

  /** The parameters the pool was generated with ({@code positiveClass} as requested, maybe -1). */
  public PreferencePairs.Params params() {
    return params;
  }

  /** Number of pairs N; ids are 0..N-1. */
  public int size() {
    return phi.length;
  }

  /** Feature dimension d. */
  public int dim() {
    return pixelPositions.length;
  }

  /** The positive class actually used (resolved when the parameters asked for a random one). */
  public int positiveClass() {
    return positiveClass;
  }

  /** Row-major pixel positions (0 .. rows*cols-1) used as feature coordinates, ascending. */
  int[] pixelPositions() {
    return pixelPositions.clone();
  }

  /** Id of row i (always i). */
  public long id(int i) {
    return i;
  }

  /** A copy of phi_i. */
  public float[] phi(int i) {
    return phi[i].clone();
  }

  /** A copy of all phi rows. */
  public float[][] phi() {
    float[][] out = new float[phi.length][];
    for (int i = 0; i < phi.length; i++) {
      out[i] = phi[i].clone();
    }
    return out;
  }

  /** phi as doubles (exact widening of the stored floats): the matrix the engine and the teacher see. */
  double[][] phiAsDouble() {
    return PreferencePairs.widen(phi);
  }

  public double b(int i) {
    return b[i];
  }

  public double[] b() {
    return b.clone();
  }

  public int s(int i) {
    return s[i];
  }

  public int[] s() {
    return s.clone();
  }

  /** Image index of the positive example of row i (y_i1, the preferred-by-class response). */
  int posIndex(int i) {
    return posIndex[i];
  }

  int[] posIndex() {
    return posIndex.clone();
  }

  /** Image index of the negative example of row i. */
  int negIndex(int i) {
    return negIndex[i];
  }

  int[] negIndex() {
    return negIndex.clone();
  }

  /** The teacher: the ridge logistic fit on all phi_i labelled 1. */
  double[] thetaBar() {
    return thetaBar.clone();
  }

  /** The reference-policy parameter, a draw from N(theta_bar, Sigma_bar); b_i = phi_i . theta_0. */
  public double[] theta0() {
    return theta0.clone();
  }

  /** Newton iterations the teacher fit took. */
  public int teacherIterations() {
    return teacherIterations;
  }

  /** Number of rows with s = 1. */
  int countOnes() {
    int c = 0;
    for (int v : s) {
      c += v;
    }
    return c;
  }

  /** Share of rows with s = 1. */
  public double shareOfOnes() {
    return size() == 0 ? 0 : (double) countOnes() / size();
  }

  /** One line for logs and the CLI. */
  public String summary() {
    return String.format("%d pairs, d = %d, positive class %d, s = 1 in %d (%.1f%%), teacher fit %d Newton steps, "
            + "|theta_bar| = %.3f, |theta_0| = %.3f",
        size(), dim(), positiveClass, countOnes(), 100 * shareOfOnes(), teacherIterations,
        norm(thetaBar), norm(theta0));
  }

  private static double norm(double[] v) {
    double t = 0;
    for (double x : v) {
      t += x * x;
    }
    return Math.sqrt(t);
  }

  @Override
  public String toString() {
    return "PairPool[" + summary() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PairPool p
        && params.equals(p.params) && positiveClass == p.positiveClass
        && Arrays.equals(pixelPositions, p.pixelPositions) && Arrays.deepEquals(phi, p.phi)
        && Arrays.equals(b, p.b) && Arrays.equals(s, p.s)
        && Arrays.equals(posIndex, p.posIndex) && Arrays.equals(negIndex, p.negIndex)
        && Arrays.equals(thetaBar, p.thetaBar) && Arrays.equals(theta0, p.theta0);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(b) * 31 + Arrays.hashCode(s);
  }
}
