package org.adpo.cli;

import com.typesafe.config.Config;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.adpo.config.SelectionSettings;
import org.adpo.config.Setting;
import org.adpo.config.SettingTable;
import org.adpo.config.SettingsLoader;
import org.adpo.data.PoolFormat;
import org.adpo.error.UsageException;
import org.adpo.io.OutputTarget;
import org.adpo.io.OnlineReport;
import org.adpo.io.ReportJson;
import org.adpo.online.OnlineConfig;
import org.adpo.online.OnlineRounds;
import org.adpo.spark.SparkSessions;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/adpo online init|next|ingest|status|export}: online ADPO rounds with people labelling,
 * one step per process, on a crash-safe state directory ({@link org.adpo.online.OnlineState}).
 */
final class OnlineCommand extends Command {
  OnlineCommand() {
    super("online", "online ADPO rounds labelled by people: init, next, ingest, status, export", HelpText.ONLINE);
  }

  /**
   * The settings init takes as options: every setting fixed for all rounds at init (recorded in config.json)
   * that select has an option for, in the table's order. The column names go through --column ROLE=NAME.
   */
  static final List<Setting> INIT_SETTINGS = SettingTable.ALL.stream()
      .filter(s -> s.scope() == Setting.Scope.STATE && s.cliOption() != null && !s.isColumn())
      .collect(java.util.stream.Collectors.toList());

  private static final Map<String, Options.Kind> INIT = new LinkedHashMap<>();
  private static final Map<String, String> INIT_PATHS = new LinkedHashMap<>();
  private static final Set<String> ROLES = Set.of("id", "phi", "phi1", "phi2", "b", "s", "weight");

  static {
    INIT.put("pool", Options.Kind.TEXT);
    INIT.put("state", Options.Kind.TEXT);
    INIT.put("config", Options.Kind.TEXT);
    INIT.put("master", Options.Kind.TEXT);
    INIT.put("column", Options.Kind.REPEATED);
    initOption("format", Options.Kind.TEXT, "adpo.input.format");
    initOption("budget", Options.Kind.LONG, "adpo.online.budget");
    for (Setting s : INIT_SETTINGS) {
      initOption(s.cliOption().substring(2), SelectCommand.kind(s.type()), s.configKey());
    }
  }

  private static void initOption(String name, Options.Kind kind, String path) {
    INIT.put(name, kind);
    INIT_PATHS.put(name, path);
  }

  private static final Map<String, Options.Kind> NEXT = Map.of("state", Options.Kind.TEXT, "batch",
      Options.Kind.LONG, "round", Options.Kind.INT, "master", Options.Kind.TEXT);
  private static final Map<String, Options.Kind> INGEST = Map.of("state", Options.Kind.TEXT, "labels",
      Options.Kind.TEXT, "round", Options.Kind.INT, "master", Options.Kind.TEXT);
  private static final Map<String, Options.Kind> STATUS = Map.of("state", Options.Kind.TEXT, "json",
      Options.Kind.FLAG);
  private static final Map<String, Options.Kind> EXPORT = Map.of("state", Options.Kind.TEXT, "output",
      Options.Kind.TEXT, "output-format", Options.Kind.TEXT, "overwrite", Options.Kind.FLAG, "master",
      Options.Kind.TEXT);

  /** Each step's option table. */
  private static final Map<String, Map<String, Options.Kind>> STEPS = Map.of("init", INIT, "next", NEXT, "ingest",
      INGEST, "status", STATUS, "export", EXPORT);

  @Override
  Table table(String[] args) {
    if (args.length < 2 || args[1].startsWith("--")) {
      throw new UsageException("'online' needs a step: init, next, ingest, status or export (see 'bin/adpo online"
          + " --help')");
    }
    Map<String, Options.Kind> options = STEPS.get(args[1]);
    if (options == null) {
      throw new UsageException("unknown step 'online " + args[1] + "'; steps: init, next, ingest, status, export");
    }
    return new Table("online " + args[1], 2, options);
  }

  /**
   * The configuration an online init command line describes: reference.conf, then --config, then the options;
   * the algorithm is adpo unless the options or the file name one (reference.conf's is an offline one).
   */
  static Config initConfig(Options o) {
    File file = o.has("config") ? new File(o.get("config")) : null;
    Config config = SettingsLoader.load(file, o.configOverrides(INIT_PATHS, ROLES));
    if (!o.has("algorithm")
        && config.getValue("adpo.select.algorithm").origin().description().contains("reference.conf")) {
      config = SettingsLoader.load(file, withAlgorithm(o.configOverrides(INIT_PATHS, ROLES)));
    }
    return config;
  }

  @Override
  int run(String[] args, Options o, PrintStream out) {
    String step = args[1];
    String command = "online " + step;
    Config defaults = SettingsLoader.load(null, Map.of());
    switch (step) {
      case "init": {
        Path dir = Path.of(o.require("state", command));
        String pool = o.require("pool", command);
        Config config = initConfig(o);
        SelectionSettings s = SettingsLoader.selection(config);
        String format = config.getString("adpo.input.format");
        if (!format.equalsIgnoreCase("auto")) {
          PoolFormat.parse(format, "input format");
        }
        long budget = config.getLong("adpo.online.budget");
        // A state inside the pool's directory would change the pool's fingerprint with every round.
        OutputTarget.refuseOverlap(org.adpo.spark.SparkSessions.hadoopConf(), dir.toString(), "--state",
            List.of(new OutputTarget.Input(pool, "--pool")));
        Rounds r = rounds(dir, config, o.get("master"));
        try {
          OnlineConfig oc = new OnlineConfig(qualified(r.hadoop, pool), format, budget, s);
          out.println(r.rounds.init(oc));
        } finally {
          r.stop();
        }
        return 0;
      }
      case "next": {
        Rounds r = rounds(Path.of(o.require("state", command)), defaults, o.get("master"));
        long batch = Long.parseLong(o.require("batch", command).trim());
        try {
          out.println(r.rounds.next(batch, round(o)));
        } finally {
          r.stop();
        }
        return 0;
      }
      case "ingest": {
        Rounds r = rounds(Path.of(o.require("state", command)), defaults, o.get("master"));
        try {
          out.println(r.rounds.ingest(Path.of(o.require("labels", command)).toAbsolutePath(), round(o)));
        } finally {
          r.stop();
        }
        return 0;
      }
      case "status": {
        Rounds r = rounds(Path.of(o.require("state", command)), defaults, null);
        OnlineReport.Status st = r.rounds.status();
        if (o.has("json")) {
          out.print(ReportJson.toJson(st));
        } else {
          // One line per key of the JSON, in its order: "key: value" (null, a number or the text itself).
          ReportJson.tree(st).fields().forEachRemaining(e ->
              out.println(e.getKey() + ": " + (e.getValue().isTextual() ? e.getValue().asText() : e.getValue())));
        }
        return 0;
      }
      case "export": {
        Rounds r = rounds(Path.of(o.require("state", command)), defaults, o.get("master"));
        String output = o.require("output", command);
        PoolFormat format = PoolFormat.parse(o.has("output-format") ? o.get("output-format")
            : defaults.getString("adpo.output.format"), "output format");
        try {
          out.println(r.rounds.export(output, format, o.has("overwrite")));
        } finally {
          r.stop();
        }
        return 0;
      }
      default:
        throw new IllegalStateException("no step " + step); // table() refused it
    }
  }

  private static int round(Options o) {
    return o.has("round") ? Integer.parseInt(o.get("round").trim()) : 0;
  }

  private static Map<String, Object> withAlgorithm(Map<String, Object> overrides) {
    Map<String, Object> m = new LinkedHashMap<>(overrides);
    m.put("adpo.select.algorithm", "adpo"); // the online default; reference.conf's is the offline adpo-plus
    return m;
  }

  /** The pool path as the file system qualifies it, so the same pool gives the same config.json from any directory. */
  private static String qualified(org.apache.hadoop.conf.Configuration hadoop, String pool) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(pool);
      FileSystem fs = p.getFileSystem(hadoop);
      return fs.makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new UsageException("cannot resolve pool path " + pool + ": " + e.getMessage(), e);
    }
  }

  /** The steps on one state, with a Spark session started on first use and stopped by {@link #stop}. */
  private static final class Rounds {
    final org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    OnlineRounds rounds;
    SparkSession session;

    void stop() {
      if (session != null) {
        SparkSessions.release(session);
      }
    }
  }

  private static Rounds rounds(Path dir, Config config, String master) {
    Rounds r = new Rounds();
    Supplier<SparkSession> spark = () -> {
      if (r.session == null) {
        r.session = SparkSessions.getOrCreate(config.getString("adpo.spark.master"), master,
            config.getString("adpo.spark.app-name"));
      }
      return r.session;
    };
    r.rounds = new OnlineRounds(dir, spark, r.hadoop);
    return r;
  }
}
