package org.adpo.select;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.adpo.error.UsageException;

/** The selection rules of SPEC.md, by their command-line names. */
public enum Algorithm {
  /** Greedy D-optimal design on phi, optionally scaled by the square root of a weight column. */
  DOPT("dopt"),
  /** ADPO+: theta fitted once on all labelled rows, then greedy on v = beta sqrt(w) phi. */
  ADPO_PLUS("adpo-plus"),
  /** The paper's APO baseline: greedy with w = 1 and beta = 1. */
  APO("apo"),
  /** Seeded uniform picks without replacement. */
  UNIFORM("uniform");

  private final String cliName;

  Algorithm(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** True when the algorithm needs the label column s. */
  public boolean needsLabels() {
    return this == ADPO_PLUS;
  }

  public static Algorithm parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Algorithm a : values()) {
      if (a.cliName.equals(n)) {
        return a;
      }
    }
    throw new UsageException(
        "unknown algorithm '" + name + "'; expected one of " + names());
  }

  public static String names() {
    return Arrays.stream(values()).map(Algorithm::cliName).collect(Collectors.joining(", "));
  }
}
