package org.adpo.spark;

import org.adpo.config.SelectionSettings;
import org.adpo.error.BadInputException;
import org.adpo.error.Shown;
import org.adpo.select.Pick;

/**
 * The last guard before a selection is written: every number it reports must be finite. Validation
 * refuses values the engine cannot hold (beyond float32 for features), but products of valid values
 * (a huge weight times a huge feature, beta times a huge b, a tiny gamma) can still overflow; such a
 * run is refused here (exit 3) instead of writing NaN gains with exit code 0.
 */
public final class ResultCheck {
  private ResultCheck() {}

  /** Throws {@link BadInputException} naming the first pick, theta component or total that is not finite. */
  public static void requireFinite(SelectionResult r, SelectionSettings s) {
    String hint = "; the features, weights or b of the pool are too large for the arithmetic of the selection"
        + " (gamma = " + s.gamma() + ", beta = " + s.beta() + "): rescale them";
    for (Pick p : r.picks()) {
      if (!Double.isFinite(p.gain()) || !Double.isFinite(p.weight())) {
        throw new BadInputException("numerical overflow: pick " + p.rank() + " (id=" + Shown.value(p.id())
            + ") has gain " + p.gain() + " and weight " + p.weight() + hint);
      }
    }
    if (r.fit() != null) {
      double[] theta = r.fit().theta();
      for (int j = 0; j < theta.length; j++) {
        if (!Double.isFinite(theta[j])) {
          throw new BadInputException("numerical overflow: the theta fit gave theta[" + j + "] = " + theta[j] + hint);
        }
      }
    }
    double logDet = r.report().selection().logDetFinal();
    if (!Double.isFinite(logDet)) {
      throw new BadInputException("numerical overflow: log det of the final design is " + logDet + hint);
    }
  }
}
