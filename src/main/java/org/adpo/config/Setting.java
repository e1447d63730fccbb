package org.adpo.config;

import java.io.Serializable;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One setting of a selection, as {@link SettingTable#ALL} declares it: the name of its Spark ML Param
 * ({@code org.adpo.ml.AdpoSelectionParams}), its type (String, Integer, Long or Double), its default, its key
 * in {@code reference.conf}, its {@code bin/adpo select} option (null when the command has none; a column's is
 * {@code --column ROLE}) and the name of the option's value in {@code --help}, its doc
 * (the {@code --help} text of the option, and the first sentence of the key's comment in reference.conf),
 * its one-value check, where it is recorded ({@link Scope}), and how it is read from and written to
 * {@link SelectionSettings}. Everything that lists the settings (the loader, the builder's defaults,
 * report.json, the online config.json, the Params) goes through this table.
 */
public record Setting(String name, Class<?> type, Object defaultValue, String configKey, String cliOption,
    String cliValue, String doc, Check check, Scope scope, Function<SelectionSettings, Object> getter,
    BiConsumer<SelectionSettings.Builder, Object> setter) {

  /** A validator of one value; throws {@link org.adpo.error.UsageException} with the CLI's message. */
  @FunctionalInterface
  public interface Check extends Serializable {
    void check(Object value);
  }

  /** Where a setting is recorded besides the configuration. */
  public enum Scope {
    /** In report.json's settings and in the online rounds' config.json (fixed at init for every round). */
    STATE,
    /** In report.json's settings only: the online rounds set it per round (the round's size, exact greedy). */
    RUN,
    /** In report.json's settings of adpo and pmc only: the online rounds take their labels from people. */
    ONLINE_RUN
  }

  static final String COLUMNS = "adpo.input.columns.";

  /**
   * A row whose getter and setter are checked against {@code type} by the compiler. {@code option} is the
   * option as {@code --help} shows it ({@code "--budget N"}: the option and its value's name), or null.
   */
  static <T> Setting of(String name, Class<T> type, T defaultValue, String configKey, String option, String doc,
      Check check, Scope scope, Function<SelectionSettings, T> getter, BiConsumer<SelectionSettings.Builder, T> setter) {
    String cliOption = option;
    String cliValue = null;
    if (option != null && !configKey.startsWith(COLUMNS)) {
      int space = option.indexOf(' ');
      cliOption = option.substring(0, space);
      cliValue = option.substring(space + 1);
    }
    return new Setting(name, type, defaultValue, configKey, cliOption, cliValue, doc, check, scope, getter::apply,
        (b, v) -> setter.accept(b, type.cast(v)));
  }

  /** This setting's value in {@code settings}, as report.json shows it. */
  public Object get(SelectionSettings settings) {
    return getter.apply(settings);
  }

  /** Sets this setting on {@code builder} (a value of {@link #type}). */
  public void set(SelectionSettings.Builder builder, Object value) {
    setter.accept(builder, value);
  }

  /** True for the column names ({@code adpo.input.columns.ROLE}), which report.json nests under "columns". */
  public boolean isColumn() {
    return configKey.startsWith(COLUMNS);
  }

  /** The section of {@link #configKey} ({@code adpo.select}, {@code adpo.fit}, {@code adpo.input.columns}). */
  public String section() {
    return configKey.substring(0, configKey.lastIndexOf('.'));
  }

  /** The key within {@link #section()}. */
  public String leaf() {
    return configKey.substring(configKey.lastIndexOf('.') + 1);
  }

  /**
   * The key in report.json and config.json: the HOCON key within adpo.select with '-' as '_', "fit_" before the
   * adpo.fit keys ({@code fit_max_iterations}), a column's role within the "columns" object.
   */
  public String jsonKey() {
    String prefix = section().equals("adpo.fit") ? "fit_" : "";
    return prefix + leaf().replace('-', '_');
  }
}
