package org.adpo.oracle;

import org.adpo.error.BadInputException;

/** Reveals the logged label: the pool's {@code s} column of the picked row (an error if it has none). */
public final class LoggedOracle extends LabelOracle {
  @Override
  public String name() {
    return "logged";
  }

  @Override
  protected int label(PickedRow row) {
    if (Double.isNaN(row.s())) {
      throw new BadInputException("the logged oracle needs a label, but picked row id=" + row.id()
          + " has none (pick only labelled rows, or use --oracle bernoulli)");
    }
    return row.s() >= 0.5 ? 1 : 0;
  }
}
