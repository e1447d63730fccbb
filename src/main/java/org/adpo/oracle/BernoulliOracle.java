package org.adpo.oracle;

import org.adpo.model.Logistic;
import org.adpo.select.SeededHash;

/**
 * Simulated feedback: s_i ~ Bernoulli(mu(beta (phi_i . theta_true - b_i))). The uniform draw of row
 * i is {@code SeededHash.key(seed, STREAM, ord_i)} scaled to [0, 1), so a row's label depends only
 * on (seed, row), never on partitioning or on when it is revealed.
 */
public final class BernoulliOracle extends LabelOracle {
  /** Step value of SeededHash reserved for label draws (uniform picks use 0, subsets 1, 2, ...). */
  static final long STREAM = -0x0b5e_2a11L;

  private final double[] thetaTrue;
  private final double beta;
  private final long seed;

  public BernoulliOracle(double[] thetaTrue, double beta, long seed) {
    this.thetaTrue = thetaTrue.clone();
    this.beta = beta;
    this.seed = seed;
  }

  @Override
  public String name() {
    return "bernoulli";
  }

  /** P(s = 1) of a row with features phi and offset b. */
  public double probability(double[] phi, double b) {
    if (phi.length != thetaTrue.length) {
      throw new IllegalArgumentException("theta_true has " + thetaTrue.length + " entries, phi has " + phi.length);
    }
    double dot = 0;
    for (int j = 0; j < phi.length; j++) {
      dot += phi[j] * thetaTrue[j];
    }
    return Logistic.sigmoid(beta * (dot - b));
  }

  /** The uniform draw in [0, 1) of row {@code ord} under {@code seed}. */
  public static double uniform(long seed, long ord) {
    return (SeededHash.key(seed, STREAM, ord) >>> 11) * 0x1.0p-53;
  }

  @Override
  protected int label(PickedRow row) {
    return uniform(seed, row.ord()) < probability(row.phi(), row.b()) ? 1 : 0;
  }

  public double[] thetaTrue() {
    return thetaTrue.clone();
  }
}
