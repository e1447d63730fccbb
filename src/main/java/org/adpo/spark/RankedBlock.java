package org.adpo.spark;

import java.io.Serializable;

/**
 * The rows of one pool partition that belong to one selection under evaluation: each row's
 * position in the selection (0-based rank order), phi (row-major), b and s (NaN = no label).
 * {@link #positionsOnly()} drops phi and b for the coverage check of large selections.
 */
final class RankedBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  final int selection;
  final int rows;
  final int d;
  final int[] positions;
  final double[] phi; // null in a positions-only block
  final double[] b;
  final double[] s;

  RankedBlock(int selection, int rows, int d, int[] positions, double[] phi, double[] b, double[] s) {
    this.selection = selection;
    this.rows = rows;
    this.d = d;
    this.positions = positions;
    this.phi = phi;
    this.b = b;
    this.s = s;
  }

  RankedBlock positionsOnly() {
    return new RankedBlock(selection, rows, d, positions, null, null, s);
  }

  /** The labelled rows with position < n (the first n picks), for a distributed fit. */
  LabelledBlock prefix(long n) {
    int k = 0;
    for (int i = 0; i < rows; i++) {
      if (positions[i] < n && !Double.isNaN(s[i])) {
        k++;
      }
    }
    double[] p = new double[k * d];
    double[] bb = new double[k];
    double[] ss = new double[k];
    int t = 0;
    for (int i = 0; i < rows; i++) {
      if (positions[i] < n && !Double.isNaN(s[i])) {
        System.arraycopy(phi, i * d, p, t * d, d);
        bb[t] = b[i];
        ss[t] = s[i];
        t++;
      }
    }
    return new LabelledBlock(k, d, p, bb, ss);
  }
}
