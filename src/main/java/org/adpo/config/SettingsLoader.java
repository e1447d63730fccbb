package org.adpo.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import org.adpo.error.UsageException;

/**
 * Reads the layered configuration: overrides (command line) over an optional file over {@code
 * reference.conf}. Only HOCON/JSON data is read, under a closed policy (docs/security.md): a user
 * file may not {@code include} anything (no file, classpath or URL is opened on its behalf), every
 * key must be one that {@code reference.conf} documents and of its type, and no substitution from
 * the environment or system properties is resolved, so a configuration cannot run code, reach out
 * or read secrets.
 */
public final class SettingsLoader {
  private SettingsLoader() {}

  /** Loads and resolves the layered configuration. {@code file} may be null. */
  public static Config load(File file, Map<String, ?> overrides) {
    Config reference = ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf");
    Config base = reference;
    if (file != null) {
      if (file.isDirectory()) {
        throw new UsageException("configuration file " + file + " is a directory; expected a HOCON file");
      }
      if (!file.isFile()) {
        throw new UsageException("configuration file not found: " + file);
      }
      Config user;
      try {
        user = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false)
            .setSyntax(ConfigSyntax.CONF).setIncluder(new RefuseIncludes(file)));
      } catch (IncludeRefused e) {
        throw new UsageException(e.getMessage());
      } catch (ConfigException e) {
        throw new UsageException("cannot read configuration file " + file + ": " + e.getMessage(), e);
      }
      checkKeys(file, user.root(), reference, "");
      base = user.withFallback(reference);
    }
    Config over = ConfigFactory.parseMap(overrides, "command line");
    try {
      return over.withFallback(base).resolve(ConfigResolveOptions.noSystem());
    } catch (ConfigException e) {
      throw new UsageException("bad configuration: " + e.getMessage(), e);
    }
  }

  /**
   * Every key of the user's file must exist in reference.conf with a compatible type: a typo
   * would otherwise be ignored silently and the run would use the default.
   */
  private static void checkKeys(File file, ConfigObject object, Config reference, String prefix) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String path = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : prefix + "." + ConfigUtil.joinPath(e.getKey());
      ConfigValue value = e.getValue();
      String where = "configuration file " + file + ": line " + value.origin().lineNumber() + ": ";
      if (!reference.hasPathOrNull(path)) {
        throw new UsageException(where + "unknown key '" + path + "'; the keys are listed in reference.conf");
      }
      ConfigValueType expected = reference.getValue(path).valueType();
      ConfigValueType given;
      try {
        given = value.valueType();
      } catch (ConfigException.NotResolved unresolved) {
        continue; // a substitution; checked when it is resolved
      }
      if (expected == ConfigValueType.OBJECT) {
        if (given != ConfigValueType.OBJECT) {
          throw new UsageException(where + "key '" + path + "' must be a section { ... }, got " + name(given));
        }
        checkKeys(file, (ConfigObject) value, reference, path);
      } else if (!compatible(expected, value, given)) {
        throw new UsageException(where + "key '" + path + "' must be " + name(expected) + ", got " + name(given)
            + (given == ConfigValueType.STRING ? " '" + value.unwrapped() + "'" : ""));
      }
    }
  }

  private static boolean compatible(ConfigValueType expected, ConfigValue value, ConfigValueType given) {
    if (given == expected || expected == ConfigValueType.STRING && given != ConfigValueType.OBJECT
        && given != ConfigValueType.LIST) {
      return true;
    }
    if (given != ConfigValueType.STRING) {
      return false;
    }
    String text = String.valueOf(value.unwrapped()).trim();
    switch (expected) {
      case NUMBER:
        try {
          Double.parseDouble(text);
          return true;
        } catch (NumberFormatException e) {
          return false;
        }
      case BOOLEAN:
        return java.util.List.of("true", "false", "yes", "no", "on", "off").contains(text.toLowerCase(Locale.ROOT));
      default:
        return false;
    }
  }

  private static String name(ConfigValueType t) {
    switch (t) {
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case LIST:
        return "a list [ ... ]";
      case OBJECT:
        return "a section { ... }";
      case NULL:
        return "null";
      default:
        return "a string";
    }
  }

  /** Thrown by {@link RefuseIncludes} before anything is opened. */
  private static final class IncludeRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IncludeRefused(String message) {
      super(message);
    }
  }

  /**
   * An includer that opens nothing: every form of {@code include} (plain, file, classpath, url)
   * is refused with the file and the target named. Implementing all four interfaces keeps Typesafe
   * Config from falling back to its own includer for any of them.
   */
  private static final class RefuseIncludes
      implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
    private final File file;

    RefuseIncludes(File file) {
      this.file = file;
    }

    private IncludeRefused refuse(String what) {
      return new IncludeRefused("configuration file " + file + ": 'include " + what
          + "' is not allowed; configuration files may not include other files, resources or URLs"
          + " (put the settings in this file)");
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
      return this;
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
      throw refuse("\"" + what + "\"");
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
      throw refuse("file(\"" + what + "\")");
    }

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
      throw refuse("url(\"" + what + "\")");
    }

    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String what) {
      throw refuse("classpath(\"" + what + "\")");
    }
  }
  /** The selection settings under {@code adpo}, validated: every setting of {@link SettingTable}, by its key. */
  public static SelectionSettings selection(Config config) {
    try {
      Map<String, Config> sections = new java.util.HashMap<>();
      SelectionSettings.Builder b = SelectionSettings.builder();
      for (Setting s : SettingTable.ALL) {
        // Read within the section, so that a message names the key as it always did.
        Config section = sections.computeIfAbsent(s.section(), config::getConfig);
        s.set(b, value(section, s.leaf(), s.type()));
      }
      return b.build().validate();
    } catch (ConfigException e) {
      throw new UsageException("bad configuration: " + e.getMessage(), e);
    }
  }

  private static Object value(Config section, String key, Class<?> type) {
    if (type == Integer.class) {
      return section.getInt(key);
    } else if (type == Long.class) {
      return section.getLong(key);
    } else if (type == Double.class) {
      return section.getDouble(key);
    }
    return section.getString(key);
  }
}
