package org.adpo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * N = 20000, d = 8, ||theta_true|| = 2, beta = 2, phi ~ N(0, 0.25^2 I), b ~ N(0, 0.5^2). The
 * penalised Hessian is about N beta^2 E[w] 0.25^2 ~ 1000 I, so each coordinate of theta_hat has a
 * standard error of ~0.03 (read off Sigma_hat), and the lambda = 1 bias (~lambda theta / 1000)
 * is negligible next to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThetaRecoveryTest {
  private static final int N = 20000;
  private static final int D = 8;
  private static final double BETA = 2.0;
  private static final double LAMBDA = 1.0;

  private SimulatedDpoData data;
  private FitResult newton;

  @BeforeAll
  void fit() {
    data = SimulatedDpoData.generate(20240611L, N, D, 2.0, 0.25, 0.5, BETA);
    newton = NewtonFit.fit(data.phi, data.b, data.s, BETA, LAMBDA, 50, 1e-12);
  }

  @Test
  void newtonConvergesQuadratically() {
    assertTrue(newton.converged(), newton.toString());
    assertTrue(newton.iterations() <= 10, newton.toString());
    double[] g = new double[D];
    double f = PenalizedDpoLoss.of(data.phi, data.b, data.s, BETA, LAMBDA).valueAndGradient(newton.theta(), g);
    assertEquals(f, newton.loss(), 1e-9 * Math.abs(f));
    assertEquals(Lbfgs.norm(g), newton.gradientNorm(), 1e-12 * Math.abs(f));
  }

  @Test
  void newtonRecoversThetaWithinFourStandardErrors() {
    double[][] sigma = NewtonFit.penalizedHessianInverse(data.phi, data.b, BETA, LAMBDA, newton.theta());
    double[] theta = newton.theta();
    double worst = 0;
    for (int j = 0; j < D; j++) {
      double se = Math.sqrt(sigma[j][j]);
      assertTrue(se > 0.01 && se < 0.06, "standard error " + se); // the test has power
      worst = Math.max(worst, Math.abs(theta[j] - data.thetaTrue[j]) / se);
    }
    assertTrue(worst < 4.0, "max |theta_hat - theta_true| / se = " + worst);

    // Negative control: ignoring beta (fitting with beta = 1) misses by many standard errors.
    FitResult wrong = NewtonFit.fit(data.phi, data.b, data.s, 1.0, LAMBDA, 50, 1e-12);
    double worstWrong = 0;
    for (int j = 0; j < D; j++) {
      worstWrong = Math.max(worstWrong, Math.abs(wrong.theta()[j] - data.thetaTrue[j]) / Math.sqrt(sigma[j][j]));
    }
    assertTrue(worstWrong > 10, "control " + worstWrong);
  }

  @Test
  void sigmaHatInvertsThePenalisedHessian() {
    double[] theta = newton.theta();
    double[][] sigma = NewtonFit.penalizedHessianInverse(data.phi, data.b, BETA, LAMBDA, theta);
    double[][] h = new double[D][D];
    for (int i = 0; i < N; i++) {
      double z = 0;
      for (int j = 0; j < D; j++) {
        z += data.phi[i][j] * theta[j];
      }
      double mu = 1 / (1 + Math.exp(-BETA * (z - data.b[i])));
      double c = BETA * BETA * mu * (1 - mu);
      for (int p = 0; p < D; p++) {
        for (int q = 0; q < D; q++) {
          h[p][q] += c * data.phi[i][p] * data.phi[i][q];
        }
      }
    }
    for (int p = 0; p < D; p++) {
      h[p][p] += LAMBDA;
    }
    for (int p = 0; p < D; p++) {
      for (int q = 0; q < D; q++) {
        double acc = 0;
        for (int k = 0; k < D; k++) {
          acc += h[p][k] * sigma[k][q];
        }
        assertEquals(p == q ? 1.0 : 0.0, acc, 1e-10);
        assertEquals(sigma[p][q], sigma[q][p], 0.0);
      }
    }
  }

  @Test
  void lbfgsOnThePenalisedLossMatchesNewton() {
    PenalizedDpoLoss loss = PenalizedDpoLoss.of(data.phi, data.b, data.s, BETA, LAMBDA);
    FitResult r = new Lbfgs().withGradientTolerance(1e-10).minimize(loss, new double[D]);
    assertTrue(r.converged(), r.toString());
    double[] a = r.theta();
    double[] b = newton.theta();
    double scale = 0;
    for (double v : b) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int j = 0; j < D; j++) {
      assertEquals(b[j], a[j], 1e-6 * scale, "coordinate " + j);
    }
    assertEquals(newton.loss(), r.loss(), 1e-10 * Math.abs(newton.loss()));
  }

  @Test
  void newtonHandlesASeparableSampleThanksToThePenalty() {
    // Perfectly separable labels: without lambda the minimiser would be at infinity.
    double[][] phi = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    double[] s = {1, 0, 1, 0};
    FitResult r = NewtonFit.fit(phi, null, s, 1.0, 1.0, 100, 1e-12);
    assertTrue(r.converged(), r.toString());
    // Stationarity per coordinate: 2 * (mu(t) - 1) + t = 0  <=>  t = 2 mu(-t).
    double t = r.theta()[0];
    assertEquals(t, 2 * Logistic.sigmoid(-t), 1e-12);
    assertEquals(t, r.theta()[1], 1e-12);
  }
}
