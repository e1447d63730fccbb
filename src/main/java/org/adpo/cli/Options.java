package org.adpo.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adpo.error.UsageException;

/**
 * The parsed options of one command: {@code --name value}, {@code --name=value} or a bare flag.
 * Only declared names are accepted; values are checked for type here so that a message names the
 * option as the user typed it. Public for the commands of the embed build, which parse the same way.
 */
public final class Options {
  public enum Kind { TEXT, INT, LONG, DOUBLE, FLAG, REPEATED }

  private final Map<String, Kind> declared;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, List<String>> repeated = new LinkedHashMap<>();

  private Options(Map<String, Kind> declared) {
    this.declared = declared;
  }

  public static Options parse(String command, String[] args, int from, Map<String, Kind> declared) {
    Options o = new Options(declared);
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new UsageException("unexpected argument '" + a + "' for '" + command + "' (options start with --)");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Kind kind = declared.get(name);
      if (kind == null) {
        throw new UsageException("unknown option --" + name + " for '" + command + "'; see 'bin/adpo " + command + " --help'");
      }
      if (kind == Kind.FLAG) {
        if (value != null) {
          throw new UsageException("option --" + name + " takes no value");
        }
        o.values.put(name, "true");
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException("option --" + name + " needs a value");
        }
        value = args[++i];
      }
      o.check(name, kind, value);
      if (kind == Kind.REPEATED) {
        o.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        if (o.values.containsKey(name)) {
          throw new UsageException("option --" + name + " is given twice");
        }
        o.values.put(name, value);
      }
    }
    return o;
  }

  private void check(String name, Kind kind, String value) {
    try {
      switch (kind) {
        case INT:
          Integer.parseInt(value.trim());
          break;
        case LONG:
          Long.parseLong(value.trim());
          break;
        case DOUBLE:
          Double.parseDouble(value.trim());
          break;
        default:
          break;
      }
    } catch (NumberFormatException e) {
      String what = kind == Kind.DOUBLE ? "a number" : "an integer";
      throw new UsageException("option --" + name + " expects " + what + ", got '" + value + "'");
    }
  }

  /** Every given option with its values (repeated options joined by ','), in command-line order of first use. */
  Map<String, String> given() {
    Map<String, String> all = new LinkedHashMap<>(values);
    repeated.forEach((k, v) -> all.put(k, String.join(",", v)));
    return all;
  }

  public boolean has(String name) {
    return values.containsKey(name) || repeated.containsKey(name);
  }

  public String get(String name) {
    return values.get(name);
  }

  public String require(String name, String command) {
    String v = values.get(name);
    if (v == null) {
      throw new UsageException("'" + command + "' needs --" + name + "; see 'bin/adpo " + command + " --help'");
    }
    return v;
  }

  List<String> all(String name) {
    return repeated.getOrDefault(name, List.of());
  }

  /**
   * The configuration overrides these options stand for: every given option that has a path in
   * {@code configPaths}, typed, plus each {@code --column ROLE=NAME} (ROLE one of {@code roles}).
   */
  Map<String, Object> configOverrides(Map<String, String> configPaths, java.util.Set<String> roles) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : configPaths.entrySet()) {
      if (has(e.getKey())) {
        overrides.put(e.getValue(), typed(e.getKey()));
      }
    }
    for (String c : all("column")) {
      int eq = c.indexOf('=');
      String role = eq > 0 ? c.substring(0, eq).trim() : "";
      if (!roles.contains(role) || eq == c.length() - 1) {
        throw new UsageException("--column expects ROLE=NAME with ROLE one of " + roles + ", got '" + c + "'");
      }
      if (overrides.containsKey("adpo.input.columns." + role)) {
        throw new UsageException("--column " + role + "=... is given twice; give each role once");
      }
      overrides.put("adpo.input.columns." + role, c.substring(eq + 1));
    }
    return overrides;
  }

  /** The typed value for a config override (numbers as numbers, flags as booleans). */
  Object typed(String name) {
    String v = values.get(name);
    switch (declared.get(name)) {
      case INT:
        return Integer.parseInt(v.trim());
      case LONG:
        return Long.parseLong(v.trim());
      case DOUBLE:
        return Double.parseDouble(v.trim());
      case FLAG:
        return Boolean.TRUE;
      default:
        return v;
    }
  }
}
