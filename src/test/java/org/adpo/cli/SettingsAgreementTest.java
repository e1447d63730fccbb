package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.adpo.config.Setting;
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

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> declared(String field) throws Exception {
    Field f = SelectCommand.class.getDeclaredField(field);
    f.setAccessible(true);
    return (Map<String, V>) f.get(null);
  }
}
