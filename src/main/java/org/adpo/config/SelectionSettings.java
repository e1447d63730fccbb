package org.adpo.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.adpo.error.UsageException;
import org.adpo.select.Algorithm;

/**
 * Every setting of one selection run, validated. Built from Typesafe Config by {@link
 * SettingsLoader} (CLI) or from the setters of {@link org.adpo.api.AdpoSelector} (Java API); both
 * go through {@link #validate()}, so a bad value is reported the same way wherever it came from.
 */
public record SelectionSettings(
    Algorithm algorithm,
    long budget,
    double beta,
    double gamma,
    double lambda,
    double alpha,
    long seed,
    int candidates,
    int topK,
    int partitions,
    int fitMaxIterations,
    double fitTolerance,
    ColumnNames columns) {

  public SelectionSettings {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(columns, "columns");
  }

  /** Checks every value and names the first bad one with its valid range. */
  public SelectionSettings validate() {
    if (budget < 1) {
      throw new UsageException("budget must be >= 1, got " + budget);
    }
    requirePositive("beta", beta);
    requirePositive("gamma", gamma);
    requirePositive("lambda", lambda);
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new UsageException("alpha must be a finite number >= 0, got " + alpha);
    }
    if (candidates < 0) {
      throw new UsageException("candidates must be >= 0 (0 = exact), got " + candidates);
    }
    if (topK < 1) {
      throw new UsageException("top-k must be >= 1, got " + topK);
    }
    if (partitions < 0) {
      throw new UsageException("partitions must be >= 0 (0 = keep the input's), got " + partitions);
    }
    if (fitMaxIterations < 1) {
      throw new UsageException("fit.max-iterations must be >= 1, got " + fitMaxIterations);
    }
    requirePositive("fit.tolerance", fitTolerance);
    for (Map.Entry<String, String> c : columnMap().entrySet()) {
      if (c.getValue() == null || c.getValue().isBlank()) {
        throw new UsageException("column name for '" + c.getKey() + "' must not be empty");
      }
    }
    return this;
  }

  private static void requirePositive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new UsageException(name + " must be a finite number > 0, got " + value);
    }
  }

  private Map<String, String> columnMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("id", columns.id());
    m.put("phi", columns.phi());
    m.put("phi1", columns.phi1());
    m.put("phi2", columns.phi2());
    m.put("b", columns.b());
    m.put("s", columns.s());
    m.put("weight", columns.weight());
    return m;
  }

  /** The settings as a flat, ordered map for report.json. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algorithm", algorithm.cliName());
    m.put("budget", budget);
    m.put("beta", beta);
    m.put("gamma", gamma);
    m.put("lambda", lambda);
    m.put("alpha", alpha);
    m.put("seed", seed);
    m.put("candidates", candidates);
    m.put("mode", candidates == 0 ? "exact" : String.format(Locale.ROOT, "candidates=%d", candidates));
    m.put("top_k", topK);
    m.put("partitions", partitions);
    m.put("fit_max_iterations", fitMaxIterations);
    m.put("fit_tolerance", fitTolerance);
    m.put("columns", columnMap());
    return m;
  }
}
