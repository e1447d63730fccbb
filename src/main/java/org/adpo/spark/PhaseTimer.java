package org.adpo.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per phase of a run, in seconds, in the order the phases ended. */
final class PhaseTimer {
  private final Map<String, Double> phases = new LinkedHashMap<>();
  private long last = System.nanoTime();

  /** Ends the current phase under {@code name} and starts the next. */
  public void end(String name) {
    long now = System.nanoTime();
    phases.merge(name, (now - last) / 1e9, Double::sum);
    last = now;
  }

  public Map<String, Double> phases() {
    return phases;
  }
}
