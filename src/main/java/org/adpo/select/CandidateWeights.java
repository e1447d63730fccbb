package org.adpo.select;

import org.adpo.data.PoolBlock;
import org.adpo.design.InverseDesign;
import org.adpo.model.FisherWeights;

/**
 * Turns a pool block into candidates: the weight w_i each algorithm uses and the scale of v_i =
 * scale_i phi_i (SPEC "Design matrix and greedy step"). Runs on the executors.
 */
public final class CandidateWeights {
  private CandidateWeights() {}

  /**
   * @param theta fitted theta (ADPO+; the latest refit for ADPO), else null
   * @param sigmaHat (lambda I + beta^2 sum w phi phi^T)^-1 row-major, only when alpha > 0
   */
  public static CandidateBlock apply(PoolBlock p, Algorithm algorithm, double beta, double[] theta,
      double alpha, double[] sigmaHat) {
    double[] w = new double[p.rows];
    double[] scale = new double[p.rows];
    weigh(p, algorithm, beta, theta, alpha, sigmaHat, w, scale);
    return new CandidateBlock(p.rows, p.d, p.ords, p.ids, p.phi, w, scale);
  }

  /**
   * As {@link #apply(PoolBlock, Algorithm, double, double[], double, double[])}, sharing the features of
   * {@code same}, an earlier candidate block of the same pool block (no second tiled copy of the rows).
   */
  public static CandidateBlock apply(PoolBlock p, CandidateBlock same, Algorithm algorithm, double beta,
      double[] theta, double alpha, double[] sigmaHat) {
    if (same.rows != p.rows || same.d != p.d || !java.util.Arrays.equals(same.ords, p.ords)) {
      throw new IllegalStateException("candidate block of " + same.rows + " rows does not hold the pool block's "
          + p.rows + " rows");
    }
    double[] w = new double[p.rows];
    double[] scale = new double[p.rows];
    weigh(p, algorithm, beta, theta, alpha, sigmaHat, w, scale);
    return same.reweighed(w, scale);
  }

  private static void weigh(PoolBlock p, Algorithm algorithm, double beta, double[] theta, double alpha,
      double[] sigmaHat, double[] w, double[] scale) {
    int d = p.d;
    for (int i = 0; i < p.rows; i++) {
      switch (algorithm) {
        case ADPO_PLUS:
        case ADPO_WARM: // after its warm phase (WarmStart); the warm picks are weighed as APO
        case ADPO_SAFE:
        case ADPO: {
          double dot = 0;
          for (int j = 0; j < d; j++) {
            dot += p.phi[i * d + j] * theta[j];
          }
          double logit = beta * (dot - p.b[i]);
          w[i] = alpha > 0
              ? FisherWeights.ucbWeight(logit, alpha, InverseDesign.score(sigmaHat, d, p.phi, i * d, 1.0))
              : FisherWeights.weight(logit);
          scale[i] = beta * Math.sqrt(w[i]);
          break;
        }
        case DOPT:
          w[i] = p.weight[i];
          scale[i] = Math.sqrt(w[i]);
          break;
        case APO:
        case UNIFORM:
        case PMC: // gains of pmc are reported for the unweighted design, like uniform
          w[i] = 1.0;
          scale[i] = 1.0;
          break;
        default:
          throw new IllegalStateException(algorithm.name());
      }
    }
  }
}
