package org.adpo.eval;

import java.util.List;

/**
 * One selection to evaluate: its display name (the method), where it came from, the picked ids in
 * rank order (as read; matched against the pool's ids later), what its {@code report.json} said
 * (algorithm, beta, lambda; null when absent) and what it recorded about the pool it was made from
 * ({@code madeFrom}; null when there is no report, as for a selection given as a DataFrame), and the
 * prefix sizes it is judged at when they are its own ({@code grid}; null = the evaluation's grid). A
 * selection whose picks depend on its budget (adpo-warm with alpha > 0) is judged at its budget alone.
 */
public record SelectionInput(String name, String source, List<Object> ids, String algorithm, Double beta, Double lambda,
    PoolRecord madeFrom, List<Long> grid) {
  public SelectionInput {
    ids = List.copyOf(ids);
    grid = grid == null ? null : List.copyOf(PrefixGrid.check(grid));
  }

  /** A selection judged at the evaluation's grid. */
  public SelectionInput(String name, String source, List<Object> ids, String algorithm, Double beta, Double lambda,
      PoolRecord madeFrom) {
    this(name, source, ids, algorithm, beta, lambda, madeFrom, null);
  }

  /** A selection with nothing recorded about its pool. */
  public SelectionInput(String name, String source, List<Object> ids, String algorithm, Double beta, Double lambda) {
    this(name, source, ids, algorithm, beta, lambda, null);
  }

  public int size() {
    return ids.size();
  }

  /**
   * What select's report.json recorded about its input pool: the path as given, row count and
   * dimension, and the content fingerprint ({@code org.adpo.spark.PoolDigest}; null in reports
   * written before it was recorded).
   */
  public record PoolRecord(String source, Long rows, Integer dimension, String fingerprint) {}
}
