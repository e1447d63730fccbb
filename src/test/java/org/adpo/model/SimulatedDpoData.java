package org.adpo.model;

import java.util.SplittableRandom;

/** Seeded synthetic DPO data: phi ~ N(0, scale^2 I), b ~ N(0, bScale^2), s ~ Bernoulli(mu(beta(phi.theta - b))). */
public final class SimulatedDpoData {
  public final double[][] phi;
  public final double[] b;
  public final double[] s;
  public final double[] thetaTrue;
  public final double beta;

  public SimulatedDpoData(double[][] phi, double[] b, double[] s, double[] thetaTrue, double beta) {
    this.phi = phi;
    this.b = b;
    this.s = s;
    this.thetaTrue = thetaTrue;
    this.beta = beta;
  }

  public static SimulatedDpoData generate(
      long seed, int n, int d, double thetaNorm, double phiScale, double bScale, double beta) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] theta = randomTheta(rnd, d, thetaNorm);
    return generateRows(rnd, n, theta, phiScale, bScale, beta);
  }

  /** A direction uniform on the sphere, scaled to {@code norm}. */
  public static double[] randomTheta(SplittableRandom rnd, int d, double norm) {
    double[] theta = new double[d];
    double sq = 0;
    for (int j = 0; j < d; j++) {
      theta[j] = gaussian(rnd);
      sq += theta[j] * theta[j];
    }
    for (int j = 0; j < d; j++) {
      theta[j] *= norm / Math.sqrt(sq);
    }
    return theta;
  }

  /** n rows labelled under the given theta. */
  public static SimulatedDpoData generateRows(
      SplittableRandom rnd, int n, double[] theta, double phiScale, double bScale, double beta) {
    int d = theta.length;
    double[][] phi = new double[n][d];
    double[] b = new double[n];
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      double dot = 0;
      for (int j = 0; j < d; j++) {
        phi[i][j] = phiScale * gaussian(rnd);
        dot += phi[i][j] * theta[j];
      }
      b[i] = bScale * gaussian(rnd);
      s[i] = rnd.nextDouble() < Logistic.sigmoid(beta * (dot - b[i])) ? 1.0 : 0.0;
    }
    return new SimulatedDpoData(phi, b, s, theta, beta);
  }

  /** Standard normal by Box-Muller (SplittableRandom has no nextGaussian on Java 17). */
  public static double gaussian(SplittableRandom rnd) {
    double u = 1.0 - rnd.nextDouble(); // (0, 1]
    double v = rnd.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }

  public double[] flatPhi() {
    return PenalizedDpoLoss.flatten(phi, thetaTrue.length);
  }
}
