package org.adpo.eval;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.adpo.data.ColumnNames;
import org.adpo.config.SelectionSettings;
import org.adpo.config.SettingsLoader;
import org.adpo.error.UsageException;
import org.adpo.select.Algorithm;

/**
 * Every setting of one {@code bin/adpo evaluate} run, validated: the model (beta, lambda, the same
 * keys as {@code select}), the fit limits ({@code adpo.fit}), the prefix grid and the size up to
 * which a prefix is fitted on the driver ({@code adpo.evaluate}), the pool's columns and
 * partitioning.
 *
 * @param grid explicit prefix sizes (sorted, distinct), or empty for the default powers of two
 * @param driverFitMaxValues a selection whose size times d is at most this is collected and its
 *     prefixes fitted on the driver with dense Newton; larger ones are fitted with the distributed
 *     L-BFGS
 */
public record EvaluationSettings(
    double beta, double lambda, List<Long> grid, long driverFitMaxValues, int fitMaxIterations,
    double fitTolerance, int partitions, ColumnNames columns) {

  public EvaluationSettings {
    grid = PrefixGrid.check(Objects.requireNonNull(grid, "grid"));
    Objects.requireNonNull(columns, "columns");
    if (driverFitMaxValues < 0) {
      throw new UsageException("evaluate.driver-fit-max-values must be >= 0, got " + driverFitMaxValues);
    }
    poolSettings(beta, lambda, partitions, fitMaxIterations, fitTolerance, columns); // validates the rest
  }

  /** Reads {@code adpo.select.beta/lambda/partitions}, {@code adpo.fit}, {@code adpo.evaluate}, the columns. */
  public static EvaluationSettings from(Config config) {
    try {
      Config s = config.getConfig("adpo.select");
      Config f = config.getConfig("adpo.fit");
      Config e = config.getConfig("adpo.evaluate");
      Config c = config.getConfig("adpo.input.columns");
      return new EvaluationSettings(
          s.getDouble("beta"),
          s.getDouble("lambda"),
          e.getLongList("grid"),
          e.getLong("driver-fit-max-values"),
          f.getInt("max-iterations"),
          f.getDouble("tolerance"),
          s.getInt("partitions"),
          new ColumnNames(c.getString("id"), c.getString("phi"), c.getString("phi1"), c.getString("phi2"),
              c.getString("b"), c.getString("s"), c.getString("weight")));
    } catch (ConfigException ex) {
      throw new UsageException("bad configuration: " + ex.getMessage(), ex);
    }
  }

  /**
   * The settings {@link org.adpo.spark.PoolLoader} reads and validates the pool with: labels
   * required (as for ADPO+), the same beta, lambda, fit limits, columns and partitioning.
   */
  public SelectionSettings poolSettings() {
    return poolSettings(beta, lambda, partitions, fitMaxIterations, fitTolerance, columns);
  }

  private static SelectionSettings poolSettings(double beta, double lambda, int partitions, int fitMaxIterations,
      double fitTolerance, ColumnNames columns) {
    // Through the configuration, so that selection settings this command does not use keep their defaults.
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("adpo.select.algorithm", Algorithm.ADPO_PLUS.cliName());
    o.put("adpo.select.beta", beta);
    o.put("adpo.select.lambda", lambda);
    o.put("adpo.select.partitions", partitions);
    o.put("adpo.fit.max-iterations", fitMaxIterations);
    o.put("adpo.fit.tolerance", fitTolerance);
    o.put("adpo.input.columns.id", columns.id());
    o.put("adpo.input.columns.phi", columns.phi());
    o.put("adpo.input.columns.phi1", columns.phi1());
    o.put("adpo.input.columns.phi2", columns.phi2());
    o.put("adpo.input.columns.b", columns.b());
    o.put("adpo.input.columns.s", columns.s());
    o.put("adpo.input.columns.weight", columns.weight());
    return SettingsLoader.selection(SettingsLoader.load(null, o));
  }

  /** For metrics.json. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("beta", beta);
    m.put("lambda", lambda);
    m.put("grid", grid.isEmpty() ? "powers of two up to each selection's size, and the size" : grid);
    m.put("driver_fit_max_values", driverFitMaxValues);
    m.put("fit_max_iterations", fitMaxIterations);
    m.put("fit_tolerance", fitTolerance);
    m.put("partitions", partitions);
    m.put("sign_convention", "sign(0) = 0 is a class of its own; a logit of 0 is never accurate");
    return m;
  }
}
