package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.adpo.ml.AdpoSelectionParams;
import org.adpo.config.SelectionSettings;
import org.adpo.config.Setting;
import org.adpo.config.SettingTable;
import org.adpo.config.SettingsLoader;
import org.adpo.online.OnlineConfig;
import org.junit.jupiter.api.Test;

/**
 * One source of truth for the selection settings: the Params table ({@link AdpoSelectionParams#SETTINGS}),
 * {@code reference.conf}, {@code bin/adpo select --help} ({@link HelpText#SELECT}) and the select command's
 * option table must agree on every key, option, default and doc. No Spark.
 */
class SettingsAgreementTest {
  private static final Config REFERENCE =
      ConfigFactory.parseResources(SettingsAgreementTest.class.getClassLoader(), "reference.conf");
  /** Keys of the sections that hold one selection's settings. */
  private static final List<String> SECTIONS = List.of("adpo.select", "adpo.fit", "adpo.input.columns");
  /** Options of select that are not settings of the selection (input, output, Spark). */
  private static final Set<String> NOT_SETTINGS = Set.of("--input", "--output", "--format", "--output-format",
      "--overwrite", "--checkpoint-dir", "--master", "--config", "--help", "--column");

  private static String normalise(String text) {
    return text.trim().replaceAll("\\s+", " ");
  }

  /** Option -> its text in select --help (continuation lines joined). */
  static Map<String, String> helpEntries(String help) {
    Map<String, String> entries = new LinkedHashMap<>();
    Pattern head = Pattern.compile("^  (--[a-z-]+)(?: [^ ]+)?\\s{2,}(\\S.*)$");
    Pattern more = Pattern.compile("^ {24}(\\S.*)$");
    String current = null;
    for (String line : help.split("\n")) {
      Matcher h = head.matcher(line);
      Matcher m = more.matcher(line);
      if (h.matches()) {
        current = h.group(1);
        assertTrue(entries.put(current, h.group(2)) == null, "option listed twice: " + current);
      } else if (current != null && m.matches()) {
        entries.put(current, entries.get(current) + " " + m.group(1));
      } else {
        current = null;
      }
    }
    entries.replaceAll((k, v) -> normalise(v));
    return entries;
  }

  private static String helpDefault(Object value) {
    if (value instanceof String) {
      return ((String) value).isEmpty() ? "none" : (String) value;
    }
    if (value instanceof Double) {
      double d = (Double) value;
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
    return String.valueOf(value);
  }

  private static Object referenceValue(Setting s) {
    if (s.type() == Integer.class) {
      return REFERENCE.getInt(s.configKey());
    } else if (s.type() == Long.class) {
      return REFERENCE.getLong(s.configKey());
    } else if (s.type() == Double.class) {
      return REFERENCE.getDouble(s.configKey());
    }
    return REFERENCE.getString(s.configKey());
  }

  @Test
  void referenceConfHasEveryParamsKeyDefaultAndDoc() {
    for (Setting s : AdpoSelectionParams.SETTINGS) {
      assertTrue(REFERENCE.hasPath(s.configKey()), s.name() + ": reference.conf has no key " + s.configKey());
      assertEquals(s.defaultValue(), referenceValue(s), s.name() + ": default in reference.conf (" + s.configKey() + ")");
      ConfigValue value = REFERENCE.getValue(s.configKey());
      String comment = normalise(String.join(" ", value.origin().comments()));
      assertTrue(comment.startsWith(normalise(s.doc())), s.name() + ": the comment of " + s.configKey()
          + " in reference.conf must start with the Param's doc\n  doc:     " + s.doc() + "\n  comment: " + comment);
    }
  }

  @Test
  void everySettingKeyOfReferenceConfIsAParam() {
    Set<String> keys = new TreeSet<>();
    for (String section : SECTIONS) {
      ConfigObject o = REFERENCE.getObject(section);
      for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
        if (e.getValue().valueType() != ConfigValueType.OBJECT) {
          keys.add(section + "." + e.getKey());
        }
      }
    }
    Set<String> declared = new TreeSet<>();
    for (Setting s : AdpoSelectionParams.SETTINGS) {
      assertTrue(declared.add(s.configKey()), "two Params map to " + s.configKey());
    }
    assertEquals(keys, declared, "the keys of " + SECTIONS + " in reference.conf and the Params' keys");
  }

  @Test
  void selectHelpShowsEachParamsDocAndDefault() {
    Map<String, String> help = helpEntries(HelpText.SELECT);
    Set<String> options = new TreeSet<>();
    List<String> roles = new ArrayList<>();
    for (Setting s : AdpoSelectionParams.SETTINGS) {
      if (s.cliOption() == null) {
        assertTrue(HelpText.SELECT.contains(s.configKey()), s.name() + " has no option; the help must name its key "
            + s.configKey());
      } else if (s.cliOption().startsWith("--column ")) {
        roles.add(s.cliOption().substring("--column ".length()));
      } else {
        String entry = help.get(s.cliOption());
        assertNotNull(entry, s.name() + ": select --help has no " + s.cliOption());
        assertEquals(normalise(s.doc()) + " (default " + helpDefault(s.defaultValue()) + ")", entry,
            s.name() + ": the help of " + s.cliOption());
        options.add(s.cliOption());
      }
    }
    String column = help.get("--column");
    assertEquals("column name for ROLE (" + String.join(", ", roles) + "); repeatable", column);
    Set<String> others = new TreeSet<>(help.keySet());
    others.removeAll(options);
    assertEquals(new TreeSet<>(NOT_SETTINGS), others, "the options of select --help that are not Params");
  }

  /** The command's own table (option -> HOCON key) is the Params' mapping, and every option is in the help. */
  @Test
  void selectCommandsOptionsMapToTheParamsKeys() throws Exception {
    Map<String, String> paths = declared("CONFIG_PATHS");
    Map<String, ?> kinds = declared("OPTIONS");
    Map<String, String> settingPaths = new TreeMap<>();
    for (Map.Entry<String, String> e : paths.entrySet()) {
      if (SECTIONS.stream().anyMatch(sec -> e.getValue().startsWith(sec + "."))) {
        settingPaths.put("--" + e.getKey(), e.getValue());
      }
    }
    Map<String, String> params = new TreeMap<>();
    for (Setting s : AdpoSelectionParams.SETTINGS) {
      if (s.cliOption() != null && !s.cliOption().startsWith("--column ")) {
        params.put(s.cliOption(), s.configKey());
      }
    }
    assertEquals(params, settingPaths, "select's options -> keys, and the Params' options -> keys");
    Set<String> accepted = new TreeSet<>();
    for (String k : kinds.keySet()) {
      accepted.add("--" + k);
    }
    accepted.add("--help");
    assertEquals(accepted, new TreeSet<>(helpEntries(HelpText.SELECT).keySet()), "select --help lists what select accepts");
  }

  /** report.json's settings keys today, in order (the online ones last); the table must keep giving them. */
  private static final List<String> REPORT_KEYS = List.of("algorithm", "budget", "beta", "gamma", "lambda", "alpha",
      "seed", "candidates", "mode", "epsilon", "strategy", "top_k", "refresh_every", "refresh_tolerance",
      "checkpoint_every", "partitions", "fit_max_iterations", "fit_tolerance", "columns", "oracle", "theta_true",
      "schedule", "batch");
  /** config.json's keys today, in order. */
  private static final List<String> CONFIG_JSON_KEYS = List.of("format_version", "pool", "format", "budget",
      "algorithm", "beta", "gamma", "lambda", "alpha", "seed", "strategy", "top_k", "refresh_every",
      "refresh_tolerance", "checkpoint_every", "partitions", "fit_max_iterations", "fit_tolerance", "columns");
  private static final List<String> COLUMN_KEYS = List.of("id", "phi", "phi1", "phi2", "b", "s", "weight");

  /** A distinct value of the setting's type for row {@code i} (valid for the online algorithms' state). */
  private static Object distinct(Setting s, int i) {
    if (s.configKey().equals("adpo.select.algorithm")) {
      return "adpo";
    } else if (s.configKey().equals("adpo.select.strategy")) {
      return "lazy"; // the only strategy of adpo
    } else if (s.type() == Integer.class) {
      return 100 + i;
    } else if (s.type() == Long.class) {
      return 200L + i;
    } else if (s.type() == Double.class) {
      return 0.5 + i / 64.0;
    }
    return "v" + i;
  }

  /** Every setting at a value of its own, set through the table. */
  private static SelectionSettings distinctSettings() {
    SelectionSettings.Builder b = SelectionSettings.builder();
    for (int i = 0; i < SettingTable.ALL.size(); i++) {
      Setting s = SettingTable.ALL.get(i);
      s.set(b, distinct(s, i));
    }
    return b.build();
  }

  @Test
  void builderDefaultsAreReferenceConf() {
    assertEquals(SettingsLoader.selection(SettingsLoader.load(null, Map.of())), SelectionSettings.builder().build());
  }

  /** report.json's settings: today's keys in today's order, each row's value under its key, read back unchanged. */
  @Test
  void reportSettingsAreTheTablesRows() {
    SelectionSettings online = distinctSettings();
    Map<String, Object> m = online.describe();
    assertEquals(REPORT_KEYS, new ArrayList<>(m.keySet()), "report.json's settings keys");
    assertEquals(COLUMN_KEYS, new ArrayList<>(((Map<?, ?>) m.get("columns")).keySet()), "report.json's columns");
    for (int i = 0; i < SettingTable.ALL.size(); i++) {
      Setting s = SettingTable.ALL.get(i);
      Object shown = s.isColumn() ? ((Map<?, ?>) m.get("columns")).get(s.jsonKey()) : m.get(s.jsonKey());
      assertEquals(distinct(s, i), shown, s.name() + ": the value report.json shows under " + s.jsonKey());
    }
    assertEquals("exact", SelectionSettings.builder().build().describe().get("mode"));
    assertEquals("candidates=7", SelectionSettings.builder().candidates(7).build().describe().get("mode"));
    assertEquals("stochastic epsilon=0.25", SelectionSettings.builder().epsilon(0.25).build().describe().get("mode"));
    assertEquals(null, SelectionSettings.builder().algorithm(org.adpo.select.Algorithm.ADPO).build().describe()
        .get("theta_true"), "no theta_true file is null");
    assertEquals(online, online.toBuilder().build(), "toBuilder keeps every setting");
    SelectionSettings defaults = SelectionSettings.builder().build();
    assertEquals(defaults, defaults.toBuilder().build(), "toBuilder keeps the defaults (no theta_true file)");
    Map<String, Object> offline = online.toBuilder().algorithm(org.adpo.select.Algorithm.DOPT).build().describe();
    assertEquals(REPORT_KEYS.subList(0, REPORT_KEYS.indexOf("oracle")), new ArrayList<>(offline.keySet()),
        "an offline algorithm's report has no online settings");
    // The accessors of the record, not the table's getters: each row reads and writes its own component.
    SelectionSettings d = online;
    assertEquals(List.of("adpo", 201L, 0.5 + 2 / 64.0, 0.5 + 3 / 64.0, 0.5 + 4 / 64.0, 0.5 + 5 / 64.0, 206L, 107,
        0.5 + 8 / 64.0, "lazy", 110, 111, 0.5 + 12 / 64.0, 113, 114, 115, 0.5 + 16 / 64.0, "v17", "v18", "v19", "v20",
        "v21", "v22", "v23", "v24", "v25", "v26", 127),
        List.of(d.algorithm().cliName(), d.budget(), d.beta(), d.gamma(), d.lambda(), d.alpha(), d.seed(),
            d.candidates(), d.epsilon(), d.strategy(), d.topK(), d.refreshEvery(), d.refreshTolerance(),
            d.checkpointEvery(), d.partitions(), d.fitMaxIterations(), d.fitTolerance(), d.columns().id(),
            d.columns().phi(), d.columns().phi1(), d.columns().phi2(), d.columns().b(), d.columns().s(),
            d.columns().weight(), d.oracle(), d.thetaTrue(), d.schedule(), d.batch()));
  }

  /** config.json: today's keys in today's order, the state's settings of the table, read back by parse. */
  @Test
  void onlineConfigJsonIsTheTablesStateRows() throws Exception {
    SelectionSettings.Builder b = SelectionSettings.builder();
    for (int i = 0; i < SettingTable.ALL.size(); i++) {
      Setting s = SettingTable.ALL.get(i);
      if (s.scope() == Setting.Scope.STATE) {
        s.set(b, distinct(s, i));
      }
    }
    SelectionSettings settings = b.build();
    OnlineConfig c = new OnlineConfig("file:/data/pool", "auto", 40, settings);
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.toJson());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertEquals(CONFIG_JSON_KEYS, keys, "config.json's keys");
    List<String> columns = new ArrayList<>();
    json.get("columns").fieldNames().forEachRemaining(columns::add);
    assertEquals(COLUMN_KEYS, columns, "config.json's columns");
    SelectionSettings back = OnlineConfig.parse(c.toJson(), "config.json").settings();
    for (int i = 0; i < SettingTable.ALL.size(); i++) {
      Setting s = SettingTable.ALL.get(i);
      if (s.scope() == Setting.Scope.STATE) {
        com.fasterxml.jackson.databind.JsonNode v = s.isColumn() ? json.get("columns").get(s.jsonKey())
            : json.get(s.jsonKey());
        assertEquals(String.valueOf(distinct(s, i)), v.asText(), s.name() + " in config.json");
        assertEquals(distinct(s, i), s.get(back), s.name() + " read back from config.json");
      }
    }
    assertEquals(c.round(3), OnlineConfig.parse(c.toJson(), "config.json").round(3), "a round's settings");
  }

  /** Every setting option of select reaches its own setting: a command line with it alone gives that value. */
  @Test
  void eachSelectOptionSetsItsSetting() {
    int checked = 0;
    for (Setting s : SettingTable.ALL) {
      if (s.cliOption() == null || s.isColumn()) {
        continue;
      }
      List<String> args = new ArrayList<>(List.of("select", "--input", "pool.parquet", "--output", "out"));
      if (s.scope() == Setting.Scope.ONLINE_RUN) {
        args.addAll(List.of("--algorithm", "adpo"));
      }
      if (s.configKey().equals("adpo.select.alpha")) {
        args.addAll(List.of("--algorithm", "adpo-plus")); // the default, adpo-safe, fixes its bound and takes none
      }
      Object value;
      switch (s.configKey()) {
        case "adpo.select.algorithm":
          value = "dopt";
          break;
        case "adpo.select.strategy":
          value = "naive";
          break;
        case "adpo.select.oracle":
          value = "bernoulli";
          break;
        case "adpo.select.theta-true":
          args.addAll(List.of("--oracle", "bernoulli"));
          value = "theta.json";
          break;
        case "adpo.select.schedule":
          value = "every:3";
          break;
        default:
          value = shifted(s);
      }
      args.addAll(List.of(s.cliOption(), String.valueOf(value)));
      SelectionSettings settings = SettingsLoader.selection(SelectCommand.config(SelectCommand.parse(
          args.toArray(new String[0]))));
      assertEquals(value, s.get(settings), s.name() + ": " + String.join(" ", args));
      checked++;
    }
    assertEquals(SettingTable.ALL.stream().filter(s -> s.cliOption() != null && !s.isColumn()).count(), checked);
  }

  @Test
  void onlineInitTakesEveryStateSettingSelectHasAnOptionFor() {
    int checked = 0;
    for (Setting s : SettingTable.ALL) {
      boolean expected = s.scope() == Setting.Scope.STATE && s.cliOption() != null && !s.isColumn();
      List<String> args = new ArrayList<>(List.of("online", "init", "--pool", "pool.parquet", "--state", "st"));
      if (!expected) {
        if ("--budget".equals(s.cliOption())) {
          // init's --budget is the online total of labels, not the selection size.
          Options o = new OnlineCommand().options(
              new String[] {"online", "init", "--pool", "p", "--state", "s", "--budget", "7"});
          assertEquals(7L, OnlineCommand.initConfig(o).getLong("adpo.online.budget"));
          assertEquals(s.defaultValue(), s.get(SettingsLoader.selection(OnlineCommand.initConfig(o))));
        } else if (s.cliOption() != null && !s.isColumn()) {
          // A per-round or offline-only setting is not an option of init.
          args.addAll(List.of(s.cliOption(), "1"));
          assertThrows(org.adpo.error.UsageException.class,
              () -> new OnlineCommand().options(args.toArray(new String[0])), s.name());
        }
        continue;
      }
      Object value;
      switch (s.configKey()) {
        case "adpo.select.algorithm":
          value = "pmc";
          break;
        case "adpo.select.strategy": {
          // The online rounds are the exact lazy greedy: init takes the option and refuses any other strategy.
          args.addAll(List.of(s.cliOption(), "naive"));
          Options o = new OnlineCommand().options(args.toArray(new String[0]));
          org.adpo.error.UsageException e = assertThrows(org.adpo.error.UsageException.class,
              () -> SettingsLoader.selection(OnlineCommand.initConfig(o)));
          assertEquals("adpo supports strategy lazy only, got naive", e.getMessage());
          checked++;
          continue;
        }
        default:
          value = shifted(s);
      }
      args.addAll(List.of(s.cliOption(), String.valueOf(value)));
      Options o = new OnlineCommand().options(args.toArray(new String[0]));
      SelectionSettings settings = SettingsLoader.selection(OnlineCommand.initConfig(o));
      assertEquals(value, s.get(settings), s.name() + ": " + String.join(" ", args));
      assertTrue(HelpText.ONLINE.contains("[" + s.cliOption() + " "), "online --help shows " + s.cliOption());
      checked++;
    }
    assertEquals(OnlineCommand.INIT_SETTINGS.size(), checked);
    assertTrue(checked >= 7, "init takes at least the settings it took before, got " + checked);
    Options none = new OnlineCommand().options(new String[] {"online", "init", "--pool", "p", "--state", "s"});
    assertEquals("adpo", SettingsLoader.selection(OnlineCommand.initConfig(none)).algorithm().cliName(), "init's algorithm defaults to adpo");
  }

  /** A valid value of a numeric setting that differs from its default. */
  private static Object shifted(Setting s) {
    Object value;
    if (s.type() == Integer.class) {
      value = (Integer) s.defaultValue() + 2;
    } else if (s.type() == Long.class) {
      value = (Long) s.defaultValue() + 2;
    } else {
      value = (Double) s.defaultValue() + 0.25;
    }
    assertTrue(!value.equals(s.defaultValue()), s.name());
    return value;
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> declared(String field) throws Exception {
    Field f = SelectCommand.class.getDeclaredField(field);
    f.setAccessible(true);
    return (Map<String, V>) f.get(null);
  }
}
