package org.adpo.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.adpo.cli.Main;
import org.adpo.data.BundledPool;
import org.adpo.error.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files against this build: the Airflow DAG (checked by {@code deploy/airflow/check_dag.py}
 * with stand-in Airflow modules; each rendered command line then goes through the real CLI option parser,
 * {@link Main#parseOnly}), the Databricks job definitions (JSON, main class, parameters, notebook widgets) and
 * the Python files (they must compile). Needs {@code python3}; its absence is a failure.
 */
class DeploymentFilesTest {
  private static final Path PROJECT = BundledPool.projectDir();
  private static final String JAR = "adpo-spark-spark.jar";
  private static final ObjectMapper JSON = new ObjectMapper();

  // ------------------------------------------------------------------ Airflow

  @Test
  void airflowDagChecksOutAndEveryStepParses(@TempDir Path tmp) throws Exception {
    Path emitted = tmp.resolve("dag.json");
    Result r = python(tmp, PROJECT.resolve("deploy/airflow/check_dag.py").toString(), "--emit", emitted.toString(),
        "--param", "pool=" + tmp.resolve("pool"), "--param", "state=" + tmp.resolve("state"),
        "--param", "config=" + tmp.resolve("online.conf"), "--param", "output=" + tmp.resolve("labelled"));
    assertEquals(0, r.code, r.output);
    assertTrue(r.output.contains("check_dag: ok: adpo_online, 3 rounds, 8 spark-submit tasks"), r.output);

    JsonNode dag = JSON.readTree(emitted.toFile());
    List<String> tasks = new ArrayList<>();
    for (JsonNode c : dag.get("commands")) {
      String task = c.get("task_id").asText();
      tasks.add(task);
      assertMainClass(c.get("java_class").asText());
      assertEquals(JAR, Path.of(c.get("application").asText()).getFileName().toString(), task);
      List<String> args = new ArrayList<>();
      c.get("args").forEach(a -> args.add(a.asText()));
      Map<String, String> options = parseOnlineStep(args);
      String step = args.get(1);
      assertEquals(tmp.resolve("state").toString(), options.get("state"), task);
      switch (step) {
        case "init":
          assertEquals(tmp.resolve("pool").toString(), options.get("pool"));
          assertEquals(tmp.resolve("online.conf").toString(), options.get("config"));
          break;
        case "next":
          assertEquals("100", options.get("batch"));
          break;
        case "ingest":
          assertEquals(tmp.resolve("state") + "/incoming/round-" + task.substring("ingest_".length()) + ".csv",
              options.get("labels"));
          break;
        case "export":
          assertEquals(tmp.resolve("labelled").toString(), options.get("output"));
          assertTrue(options.containsKey("overwrite"), "export overwrites its own output on a retry");
          break;
        default:
          throw new AssertionError("unexpected step " + step);
      }
    }
    assertEquals(List.of("init", "next_1", "ingest_1", "next_2", "ingest_2", "next_3", "ingest_3", "export"), tasks);

    Result two = python(tmp, PROJECT.resolve("deploy/airflow/check_dag.py").toString(), "--var", "adpo_online_rounds=2");
    assertEquals(0, two.code, two.output);
    assertTrue(two.output.contains("2 rounds, 6 spark-submit tasks"), two.output);
  }

  /** The check script fails on a DAG with a wrong order, main class, jar or sensor mode (it can fail). */
  @Test
  void checkDagRejectsBrokenDags(@TempDir Path tmp) throws Exception {
    String dag = Files.readString(PROJECT.resolve("deploy/airflow/adpo_online_dag.py"), StandardCharsets.UTF_8);
    Map<String, String[]> mutations = Map.of(
        "order", new String[] {"previous >> step >> wait >> ingest", "previous >> wait >> step >> ingest",
            "dependencies differ"},
        "class", new String[] {"MAIN_CLASS = \"org.adpo.cli.Main\"", "MAIN_CLASS = \"org.adpo.Main\"", "java_class"},
        "jar", new String[] {"/opt/adpo/adpo-spark-spark.jar", "/opt/adpo/adpo-spark.jar", "is not the shaded jar"},
        "mode", new String[] {"mode=\"reschedule\"", "mode=\"poke\"", "must use mode='reschedule'"},
        "labels", new String[] {"\"--labels\", labels", "\"--labels\", STATE + \"/incoming/labels.csv\"",
            "does not read the file"},
        "round", new String[] {"labels, \"--round\", str(k))", "labels)", "must pass --round"});
    for (Map.Entry<String, String[]> m : mutations.entrySet()) {
      String[] edit = m.getValue();
      assertTrue(dag.contains(edit[0]), "mutation " + m.getKey() + " applies");
      Path broken = tmp.resolve("broken_" + m.getKey() + ".py");
      Files.writeString(broken, dag.replace(edit[0], edit[1]), StandardCharsets.UTF_8);
      Result r = python(tmp, PROJECT.resolve("deploy/airflow/check_dag.py").toString(), "--dag", broken.toString());
      assertEquals(1, r.code, m.getKey() + ": " + r.output);
      assertTrue(r.output.contains("check_dag: FAILED") && r.output.contains(edit[2]), m.getKey() + ": " + r.output);
    }
  }

  /**
   * Parses one {@code online STEP ...} command line with the real parser, and checks that the options each
   * step requires are there (the parse-only path does not check required options).
   */
  private static Map<String, String> parseOnlineStep(List<String> args) {
    assertEquals("online", args.get(0));
    Map<String, String> options = Main.parseOnly(args.toArray(new String[0]));
    Map<String, Set<String>> required = Map.of("init", Set.of("pool", "state"), "next", Set.of("state", "batch"),
        "ingest", Set.of("state", "labels"), "status", Set.of("state"), "export", Set.of("state", "output"));
    String step = args.get(1);
    assertTrue(required.containsKey(step), "online step " + step);
    assertTrue(options.keySet().containsAll(required.get(step)), "online " + step + " needs " + required.get(step));
    return options;
  }

  // ------------------------------------------------------------------ the parse-only path itself

  @Test
  void parseOnlyUsesTheRealOptionTables() {
    Map<String, String> ok = Main.parseOnly(new String[] {"select", "--input", "in", "--output", "out", "--budget",
        "10", "--column", "id=pair_id", "--overwrite"});
    assertEquals("10", ok.get("budget"));
    assertEquals("id=pair_id", ok.get("column"));
    assertEquals("true", ok.get("overwrite"));
    UsageException unknown = assertThrows(UsageException.class,
        () -> Main.parseOnly(new String[] {"select", "--input", "in", "--bugdet", "10"}));
    assertTrue(unknown.getMessage().startsWith("unknown option --bugdet for 'select'"), unknown.getMessage());
    UsageException type = assertThrows(UsageException.class,
        () -> Main.parseOnly(new String[] {"select", "--budget", "ten"}));
    assertEquals("option --budget expects an integer, got 'ten'", type.getMessage());
    UsageException command = assertThrows(UsageException.class, () -> Main.parseOnly(new String[] {"selekt"}));
    assertTrue(command.getMessage().startsWith("unknown command 'selekt'"), command.getMessage());
    assertEquals(Set.of("pool", "selection", "output"), Main.parseOnly(new String[] {"evaluate", "--pool", "p",
        "--selection", "a=x", "--output", "o"}).keySet());
  }

  // ------------------------------------------------------------------ spark-submit scripts

  /**
   * Runs {@code script} with SPARK_SUBMIT set to the documented "command with quoted words" form whose
   * program is a stand-in that prints each argument it got on its own line; returns those lines.
   */
  private static List<String> submitted(Path tmp, String script, Map<String, String> env, String... args)
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("my spark"));
    Path echo = dir.resolve("spark submit");
    Files.writeString(echo, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    assertTrue(echo.toFile().setExecutable(true));
    List<String> cmd = new ArrayList<>(List.of("bash", PROJECT.resolve("deploy/spark-submit/" + script).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true);
    pb.environment().put("SPARK_SUBMIT", "'" + echo + "' -Xmx1g -cp '" + dir + "/jars/*' 'a \"b\" c'");
    pb.environment().put("ADPO_JAR", PROJECT.resolve("pom.xml").toString()); // any existing file
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(1, TimeUnit.MINUTES), script);
    assertEquals(0, p.exitValue(), out);
    return List.of(out.split("\n", -1)).subList(0, out.split("\n", -1).length - 1);
  }

  @Test
  void submitCommandKeepsItsQuotedWordsAndAnyCommandRuns(@TempDir Path tmp) throws Exception {
    Map<String, String> env = Map.of("SPARK_MASTER_URL", "spark://m:7077", "ADPO_CONFIG", "conf/example.conf",
        "ADPO_CHECKPOINT_DIR", "/ck", "ADPO_SPARK_CONF", "--conf \"spark.executor.extraJavaOptions=-Da=1 -Db=2\"");
    List<String> a = submitted(tmp, "standalone.sh", env, "--budget", "5");
    Path dir = tmp.resolve("my spark");
    // The quotes of SPARK_SUBMIT group its words and are gone (read -a kept them, and java then found no class).
    assertEquals(List.of("-Xmx1g", "-cp", dir + "/jars/*", "a \"b\" c"), a.subList(0, 4), a.toString());
    assertTrue(a.contains("spark.executor.extraJavaOptions=-Da=1 -Db=2"), a.toString());
    int jar = a.indexOf(PROJECT.resolve("pom.xml").toString());
    assertEquals(List.of("select", "--config", "conf/example.conf", "--checkpoint-dir", "/ck", "--budget", "5"),
        a.subList(jar + 1, a.size()));
    assertEquals("adpo-select", a.get(a.indexOf("--name") + 1));

    a = submitted(tmp, "standalone.sh", env, "online", "next", "--state", "s", "--batch", "3");
    jar = a.indexOf(PROJECT.resolve("pom.xml").toString());
    assertEquals(List.of("online", "next", "--state", "s", "--batch", "3"), a.subList(jar + 1, a.size()),
        "online next takes neither --config nor --checkpoint-dir");
    assertEquals("adpo-online-next", a.get(a.indexOf("--name") + 1));
    a = submitted(tmp, "standalone.sh", env, "online", "init", "--pool", "p", "--state", "s");
    jar = a.indexOf(PROJECT.resolve("pom.xml").toString());
    assertEquals(List.of("online", "init", "--config", "conf/example.conf", "--pool", "p", "--state", "s"),
        a.subList(jar + 1, a.size()));

    Map<String, String> yarn = Map.of("ADPO_CONFIG", "conf/example.conf");
    a = submitted(tmp, "yarn.sh", yarn, "make-synthetic", "--rows", "10", "--output", "o");
    jar = a.indexOf(PROJECT.resolve("pom.xml").toString());
    assertEquals(List.of("make-synthetic", "--rows", "10", "--output", "o"), a.subList(jar + 1, a.size()));
    assertTrue(!a.contains("--files"), "no config file shipped for a command that reads none: " + a);
    a = submitted(tmp, "yarn.sh", yarn, "evaluate", "--pool", "p");
    jar = a.indexOf(PROJECT.resolve("pom.xml").toString());
    assertEquals(List.of("evaluate", "--config", "example.conf", "--pool", "p"), a.subList(jar + 1, a.size()));
    assertEquals("conf/example.conf", a.get(a.indexOf("--files") + 1));
    a = submitted(tmp, "kubernetes.sh", Map.of("K8S_API", "https://k", "ADPO_IMAGE", "i"), "evaluate", "--pool", "p");
    jar = a.indexOf(PROJECT.resolve("pom.xml").toString());
    assertEquals(List.of("evaluate", "--pool", "p"), a.subList(jar + 1, a.size()));
  }

  @Test
  void submitCommandWithAnUnmatchedQuoteIsRefused(@TempDir Path tmp) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", PROJECT.resolve("deploy/spark-submit/standalone.sh").toString(),
        "--budget", "5").directory(tmp.toFile()).redirectErrorStream(true);
    pb.environment().put("SPARK_SUBMIT", "java -cp '/opt/spark/jars/*");
    pb.environment().put("SPARK_MASTER_URL", "spark://m:7077");
    pb.environment().put("ADPO_JAR", PROJECT.resolve("pom.xml").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(1, TimeUnit.MINUTES));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.startsWith("error: cannot split SPARK_SUBMIT into words (unmatched single quote"), out);
  }

  // ------------------------------------------------------------------ Databricks

  @Test
  void databricksJarJobRunsSelectOnADedicatedClassicCluster() throws Exception {
    JsonNode job = JSON.readTree(PROJECT.resolve("deploy/databricks/adpo-select-job.json").toFile());
    assertTrue(job.get("name").isTextual());
    JsonNode task = single(job.get("tasks"));
    assertClassicDedicatedCluster(task.get("new_cluster"));
    assertJarLibrary(task.get("libraries"));
    JsonNode jar = task.get("spark_jar_task");
    assertMainClass(jar.get("main_class_name").asText());
    List<String> params = new ArrayList<>();
    jar.get("parameters").forEach(p -> params.add(p.asText()));
    assertEquals("select", params.get(0));
    Map<String, String> options = Main.parseOnly(params.toArray(new String[0]));
    assertTrue(options.keySet().containsAll(Set.of("input", "output", "algorithm", "budget")), options.toString());
    assertEquals("adpo-plus", options.get("algorithm"));
  }

  @Test
  void databricksNotebookJobMatchesTheNotebookWidgets() throws Exception {
    JsonNode job = JSON.readTree(PROJECT.resolve("deploy/databricks/adpo-select-notebook-job.json").toFile());
    JsonNode task = single(job.get("tasks"));
    assertClassicDedicatedCluster(task.get("new_cluster"));
    assertJarLibrary(task.get("libraries"));
    JsonNode nb = task.get("notebook_task");
    String name = Path.of(nb.get("notebook_path").asText()).getFileName().toString();
    Path notebook = PROJECT.resolve("notebooks").resolve(name + ".scala");
    assertTrue(Files.isRegularFile(notebook), "notebook " + notebook);
    Set<String> widgets = new TreeSet<>();
    Matcher m = Pattern.compile("dbutils\\.widgets\\.get\\(\"([^\"]+)\"\\)")
        .matcher(Files.readString(notebook, StandardCharsets.UTF_8));
    while (m.find()) {
      widgets.add(m.group(1));
    }
    Set<String> given = new TreeSet<>();
    nb.get("base_parameters").fieldNames().forEachRemaining(given::add);
    assertEquals(widgets, given, "base_parameters = the widgets the notebook reads");
    Long.parseLong(nb.get("base_parameters").get("budget").asText());
    Double.parseDouble(nb.get("base_parameters").get("alpha").asText());
  }

  private static JsonNode single(JsonNode tasks) {
    assertTrue(tasks.isArray() && tasks.size() == 1, "one task");
    return tasks.get(0);
  }

  private static void assertClassicDedicatedCluster(JsonNode cluster) {
    assertTrue(cluster != null && cluster.isObject(), "new_cluster");
    String mode = cluster.get("data_security_mode").asText();
    assertTrue(Set.of("SINGLE_USER", "NONE").contains(mode), "dedicated or no-isolation access mode, got " + mode);
    assertTrue(cluster.get("spark_version").asText().matches("\\d+\\.\\d+\\.x-scala2\\.1[23]"),
        "a classic Databricks Runtime: " + cluster.get("spark_version"));
    assertTrue(cluster.get("num_workers").asInt() >= 1);
    assertTrue(cluster.get("node_type_id").isTextual());
  }

  private static void assertJarLibrary(JsonNode libraries) {
    Set<String> jars = new LinkedHashSet<>();
    libraries.forEach(l -> jars.add(l.get("jar").asText()));
    assertEquals(1, jars.size(), jars.toString());
    String jar = jars.iterator().next();
    // Libraries in the DBFS root (dbfs:/FileStore/...) are disabled by default from Runtime 15.1 on: a
    // Unity Catalog volume (/Volumes/catalog/schema/volume/...) or a workspace file instead.
    assertTrue((jar.matches("/Volumes/[^/]+/[^/]+/[^/]+/.+") || jar.startsWith("/Workspace/"))
        && jar.endsWith("/" + JAR), jar);
  }

  private static void assertMainClass(String name) throws Exception {
    Class<?> c = Class.forName(name);
    Method main = c.getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()), name + ".main");
  }

  // ------------------------------------------------------------------ Python files compile

  @Test
  void pythonFilesCompile(@TempDir Path tmp) throws Exception {
    for (String file : List.of("notebooks/extract_llm_features.py", "deploy/airflow/adpo_online_dag.py",
        "deploy/airflow/check_dag.py")) {
      Result r = python(tmp, "-m", "py_compile", PROJECT.resolve(file).toString());
      assertEquals(0, r.code, file + ": " + r.output);
    }
    String notebook = Files.readString(PROJECT.resolve("notebooks/extract_llm_features.py"), StandardCharsets.UTF_8);
    assertTrue(notebook.startsWith("# Databricks notebook source\n"), "Databricks source header");
    assertTrue(notebook.contains("\n# COMMAND ----------\n") && notebook.contains("Not run in CI"));
  }

  // ------------------------------------------------------------------ running python3

  private record Result(int code, String output) {}

  private static Result python(Path tmp, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("python3", "-X", "pycache_prefix=" + tmp.resolve("pycache")));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(PROJECT.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("python3 is needed to check the deployment files: " + e.getMessage(), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "python3 " + String.join(" ", args));
    return new Result(p.exitValue(), out);
  }
}
