package org.adpo.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.util.Map;
import org.adpo.error.UsageException;
import org.adpo.select.Algorithm;

/**
 * Reads the layered configuration: overrides (command line) over an optional file over {@code
 * reference.conf}. Only HOCON/JSON data is read; no substitution from the environment or system
 * properties is resolved from the user's file, so a configuration cannot run code or read secrets.
 */
public final class SettingsLoader {
  private SettingsLoader() {}

  /** Loads and resolves the layered configuration. {@code file} may be null. */
  public static Config load(File file, Map<String, ?> overrides) {
    Config reference = ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf");
    Config base = reference;
    if (file != null) {
      if (!file.isFile()) {
        throw new UsageException("configuration file not found: " + file);
      }
      try {
        Config user =
            ConfigFactory.parseFile(
                file, ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        base = user.withFallback(reference);
      } catch (ConfigException e) {
        throw new UsageException("cannot read configuration file " + file + ": " + e.getMessage(), e);
      }
    }
    Config over = ConfigFactory.parseMap(overrides, "command line");
    try {
      return over.withFallback(base).resolve(ConfigResolveOptions.noSystem());
    } catch (ConfigException e) {
      throw new UsageException("bad configuration: " + e.getMessage(), e);
    }
  }

  /** The selection settings under {@code adpo}, validated. */
  public static SelectionSettings selection(Config config) {
    try {
      Config s = config.getConfig("adpo.select");
      Config f = config.getConfig("adpo.fit");
      Config c = config.getConfig("adpo.input.columns");
      return new SelectionSettings(
              Algorithm.parse(s.getString("algorithm")),
              s.getLong("budget"),
              s.getDouble("beta"),
              s.getDouble("gamma"),
              s.getDouble("lambda"),
              s.getDouble("alpha"),
              s.getLong("seed"),
              s.getInt("candidates"),
              s.getDouble("epsilon"),
              s.getString("strategy"),
              s.getInt("top-k"),
              s.getInt("refresh-every"),
              s.getDouble("refresh-tolerance"),
              s.getInt("checkpoint-every"),
              s.getInt("partitions"),
              f.getInt("max-iterations"),
              f.getDouble("tolerance"),
              new ColumnNames(
                  c.getString("id"),
                  c.getString("phi"),
                  c.getString("phi1"),
                  c.getString("phi2"),
                  c.getString("b"),
                  c.getString("s"),
                  c.getString("weight")),
              s.getString("oracle"),
              s.getString("theta-true"),
              s.getString("schedule"),
              s.getInt("batch"))
          .validate();
    } catch (ConfigException e) {
      throw new UsageException("bad configuration: " + e.getMessage(), e);
    }
  }
}
