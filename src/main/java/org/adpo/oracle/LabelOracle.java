package org.adpo.oracle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The source of the labels s_i of online selection (docs/method.md "adpo"): the engine hands it the rows it
 * has picked, in pick order, and gets back their labels in {0, 1}. Every reveal is recorded (ids in
 * order), so a run can prove which labels it used. Implementations: {@link LoggedOracle} (the pool's
 * own {@code s} column) and {@link BernoulliOracle} (labels simulated from a known theta). Used on
 * the driver only; subclasses implement {@link #label}.
 */
public abstract class LabelOracle {
  private final List<Object> revealed = new ArrayList<>();

  /** Command-line name, for the report. */
  public abstract String name();

  /** The label of one picked row (0 or 1). */
  protected abstract int label(PickedRow row);

  /** Reveals the labels of {@code rows} (picked, in pick order) and records them. */
  public final int[] reveal(List<PickedRow> rows) {
    int[] out = new int[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = label(rows.get(i));
      revealed.add(rows.get(i).id());
    }
    return out;
  }

  /** Number of labels revealed so far. */
  public final long reveals() {
    return revealed.size();
  }

  /** The ids whose labels were revealed, in the order they were revealed. */
  public final List<Object> revealedIds() {
    return Collections.unmodifiableList(revealed);
  }
}
