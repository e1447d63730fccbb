package org.adpo.eval;

import java.util.List;

/**
 * One selection to evaluate: its display name (the method), where it came from, the picked ids in
 * rank order (as read; matched against the pool's ids later), and what its {@code report.json} said
 * (algorithm, beta, lambda; null when absent).
 */
public record SelectionInput(String name, String source, List<Object> ids, String algorithm, Double beta, Double lambda) {
  public SelectionInput {
    ids = List.copyOf(ids);
  }

  public int size() {
    return ids.size();
  }
}
