package org.adpo.oracle;

import java.io.Serializable;

/**
 * A picked pool row as the oracle sees it: tie-break order, id, phi (the stored float32 features
 * widened to double), b and the pool's logged label {@code s} (NaN when the row has none). Only
 * picked rows are ever looked up, so an oracle cannot see the label of a row that was not picked.
 */
public record PickedRow(long ord, Object id, double[] phi, double b, double s) implements Serializable {}
