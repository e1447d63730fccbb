package org.adpo.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and two workers (one core each) as
 * separate JVMs, started from a SPARK_HOME assembled in {@code target/} out of the jars Maven
 * copied to {@code target/lib} (Spark and its dependencies). {@code deploy/spark-submit/standalone.sh}
 * submits the shaded jar to it (its SPARK_SUBMIT is a wrapper around Spark's SparkSubmit class), and
 * the selections made by the executors must equal those of a local run of {@code bin/adpo}: same ids
 * and ranks, gains within 1e-9. Every process started here is stopped in {@link #stopCluster()} and,
 * should the JVM exit early, by a shutdown hook.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  private static final long WAIT_SECONDS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path project = Path.of(System.getProperty("adpo.project.dir", ".")).toAbsolutePath();
  private final Path base = project.resolve("target/cluster-it");
  private final Path sparkHome = base.resolve("spark-home");
  private final Path logs = base.resolve("logs");
  private final List<Process> processes = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll);
  private String opens;
  private String masterUrl;
  private Path submitWrapper;

  @BeforeAll
  void startCluster() throws Exception {
    deleteTree(base);
    Files.createDirectories(logs);
    Runtime.getRuntime().addShutdownHook(hook);
    Path lib = project.resolve("target/lib");
    List<String> cores;
    try (Stream<Path> s = Files.list(lib)) {
      cores = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("spark-core_")).toList();
    }
    assertEquals(1, cores.size(), "target/lib must hold one Spark line (mvn clean): " + cores);
    String scala = cores.get(0).substring("spark-core_".length(), "spark-core_".length() + 4);
    // SPARK_HOME: jars/ (the compile + provided class path) and an empty RELEASE file, which makes
    // Spark's launcher take jars/ as the class path of the executors it starts.
    Files.createDirectories(sparkHome);
    Files.createSymbolicLink(sparkHome.resolve("jars"), lib);
    Files.createFile(sparkHome.resolve("RELEASE"));
    opens = Files.readAllLines(project.resolve("pom.xml")).stream()
        .filter(l -> l.contains("<spark.jvm.opens>")).findFirst().orElseThrow()
        .replaceAll(".*<spark.jvm.opens>(.*)</spark.jvm.opens>.*", "$1").trim();
    int port = freePort();
    int webPort = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        String.valueOf(port), "--webui-port", String.valueOf(webPort)), scala);
    for (int w = 1; w <= 2; w++) {
      Path work = base.resolve("work-" + w);
      Files.createDirectories(work);
      start("worker-" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--webui-port",
          "0", "--cores", "1", "--memory", "1g", "--work-dir", work.toString(), masterUrl), scala);
    }
    // Both workers registered and alive, per the master's JSON status page (bounded wait).
    URI status = URI.create("http://127.0.0.1:" + webPort + "/json/");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    int alive = -1;
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        assertTrue(p.isAlive(), "a cluster process exited early; logs in " + logs);
      }
      try (InputStream in = status.toURL().openStream()) {
        alive = JSON.readTree(in).path("aliveworkers").asInt(-1);
        if (alive == 2) {
          break;
        }
      } catch (IOException notUpYet) {
        // the master's web UI is not listening yet
      }
      Thread.sleep(250);
    }
    assertEquals(2, alive, "workers alive after " + WAIT_SECONDS + " s; logs in " + logs);
    // What standalone.sh runs as spark-submit: Spark's SparkSubmit class in a JVM with the opens.
    submitWrapper = base.resolve("spark-submit");
    Files.writeString(submitWrapper, "#!/usr/bin/env bash\nexec java -Xmx1g " + opens
        + " -Dlog4j2.configurationFile=" + project.resolve("conf/log4j2.properties")
        + " -cp '" + sparkHome.resolve("jars") + "/*' org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    Files.setPosixFilePermissions(submitWrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  void stopCluster() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  @Test
  void adpoPlusWithConfigFileOnTheClusterEqualsLocal() throws Exception {
    String config = project.resolve("conf/example.conf").toString();
    List<String> args = List.of("--budget", "128", "--output-format", "jsonl");
    Path cluster = submit("plus", config, base.resolve("checkpoints"), args);
    Path local = local("plus", config, args);
    assertSameSelection(local, cluster);
    JsonNode report = JSON.readTree(cluster.resolve("report.json").toFile());
    assertEquals(masterUrl, report.path("spark").path("master").asText());
    assertEquals("adpo-plus", report.path("algorithm").asText(), report.toString());
  }

  @Test
  void onlineAdpoOnTheClusterEqualsLocal() throws Exception {
    List<String> args = List.of("--algorithm", "adpo", "--budget", "64", "--output-format", "jsonl");
    Path cluster = submit("online", null, base.resolve("checkpoints"), args);
    Path local = local("online", null, args);
    assertSameSelection(local, cluster);
  }

  /**
   * A lost executor mid-selection: worker 2's executor JVM is killed with SIGKILL once the selection
   * has made some rounds; Spark reruns its tasks on the surviving executor (and on the one worker 2
   * starts again), recomputing the lost cached score state from the last reliable checkpoint, and the
   * picks are still those of the local run.
   */
  @Test
  @org.junit.jupiter.api.Order(100) // last: the cluster is one executor short until worker 2 replaces it
  void aKilledExecutorMidSelectionChangesNoPick() throws Exception {
    List<String> args = List.of("--algorithm", "dopt", "--budget", "160", "--output-format", "jsonl",
        "--checkpoint-every", "4");
    Path out = base.resolve("cluster-killed");
    List<String> cmd = new ArrayList<>(List.of(project.resolve("deploy/spark-submit/standalone.sh").toString(),
        "--input", project.resolve("data/fashion-mnist-pairs").toString(), "--output", out.toString()));
    cmd.addAll(args);
    Map<String, String> env = submitEnv(null, base.resolve("checkpoints-killed"));
    // Two picks per round: many rounds, so the kill lands in the middle of the loop.
    env.put("ADPO_SPARK_CONF", env.get("ADPO_SPARK_CONF") + " --conf spark.adpo.select.max-picks-per-round=2");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Path log = logs.resolve("submit-killed.log");
    pb.redirectOutput(log.toFile());
    Process submit = pb.start();
    synchronized (processes) {
      processes.add(submit);
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    java.util.regex.Pattern round = java.util.regex.Pattern.compile("progress: round ([0-9]+):");
    int seen = 0;
    while (seen < 3) {
      assertTrue(submit.isAlive(), "the submission ended before round 3: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "no round 3 within 3 minutes: " + Files.readString(log));
      Thread.sleep(100);
      java.util.regex.Matcher m = round.matcher(Files.readString(log, StandardCharsets.UTF_8));
      while (m.find()) {
        seen = Math.max(seen, Integer.parseInt(m.group(1)));
      }
    }
    Process worker2 = processes.get(2); // master, worker-1, worker-2 in start order
    List<ProcessHandle> executors = worker2.descendants()
        .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).toList();
    assertEquals(1, executors.size(), "worker 2 runs one executor");
    executors.get(0).destroyForcibly();
    assertTrue(submit.waitFor(4, TimeUnit.MINUTES), "the submission finishes after the kill");
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, submit.exitValue(), output);
    assertTrue(!executors.get(0).isAlive(), "the executor was killed");
    assertSameSelection(local("killed", null, args), out);
  }

  @Test
  void clusterRunWithoutCheckpointDirectoryIsRefusedAtStartUp() throws Exception {
    Path out = base.resolve("refused");
    Result r = run(List.of(project.resolve("deploy/spark-submit/standalone.sh").toString(), "--input",
        project.resolve("data/fashion-mnist-pairs").toString(), "--output", out.toString(), "--algorithm", "dopt",
        "--budget", "40"), submitEnv(null, null), "refused");
    assertEquals(2, r.exit, r.output);
    assertTrue(r.output.contains("error: master " + masterUrl) && r.output.contains("--checkpoint-dir"), r.output);
    assertTrue(!Files.exists(out), "no output on a refused run");
  }

  @Test
  void documentedPlainJvmSubmitCommandRunsAnyCommand() throws Exception {
    // deploy/README.md's form, quotes and all (common.sh once kept the quotes and java found no class).
    Map<String, String> env = submitEnv(null, null);
    env.put("SPARK_SUBMIT", "java -Xmx1g " + opens + " -Dlog4j2.configurationFile=" + project.resolve(
        "conf/log4j2.properties") + " -cp '" + sparkHome.resolve("jars") + "/*' org.apache.spark.deploy.SparkSubmit");
    Path out = base.resolve("cluster-synthetic");
    Result r = run(List.of(project.resolve("deploy/spark-submit/standalone.sh").toString(), "make-synthetic",
        "--rows", "64", "--dim", "3", "--output", out.toString(), "--output-format", "jsonl"), env, "submit-synthetic");
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.contains("wrote 64 rows (d = 3"), r.output);
    long rows = 0;
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) { // not _adpo_output.json
        rows += Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
      }
    }
    assertEquals(64, rows);
  }

  @Test
  @Tag(DefaultLineOnly.TAG) // Spark 4.0's launcher adds the module to every executor itself
  void executorsWithoutTheVectorModuleAreWarnedAboutOnceAndInTheReport() throws Exception {
    Path out = base.resolve("cluster-scalar");
    Map<String, String> env = submitEnv(null, null);
    env.put("ADPO_EXECUTOR_JAVA_OPTIONS", opens.replace("--add-modules=jdk.incubator.vector", "").trim());
    Result r = run(List.of(project.resolve("deploy/spark-submit/standalone.sh").toString(), "--input",
        project.resolve("data/fashion-mnist-pairs").toString(), "--output", out.toString(), "--algorithm", "dopt",
        "--budget", "8", "--output-format", "jsonl"), env, "submit-scalar");
    assertEquals(0, r.exit, r.output);
    String warning = "without --add-modules=jdk.incubator.vector: their score kernel is plain Java";
    assertEquals(1, r.output.split(java.util.regex.Pattern.quote(warning), -1).length - 1, r.output);
    assertTrue(r.output.contains("spark.executor.extraJavaOptions"), r.output);
    JsonNode warnings = JSON.readTree(out.resolve("report.json").toFile()).get("warnings");
    assertTrue(warnings.toString().contains(warning), warnings.toString());
  }

  private Path submit(String name, String config, Path checkpoints, List<String> args) throws Exception {
    Path out = base.resolve("cluster-" + name);
    List<String> cmd = new ArrayList<>(List.of(project.resolve("deploy/spark-submit/standalone.sh").toString(),
        "--input", project.resolve("data/fashion-mnist-pairs").toString(), "--output", out.toString()));
    cmd.addAll(args);
    Result r = run(cmd, submitEnv(config, checkpoints), "submit-" + name);
    assertEquals(0, r.exit, r.output);
    return out;
  }

  private Map<String, String> submitEnv(String config, Path checkpoints) {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "SPARK_SUBMIT", submitWrapper.toString(),
        "SPARK_MASTER_URL", masterUrl,
        "ADPO_JAR", project.resolve("target/adpo-spark-spark.jar").toString(),
        "ADPO_EXECUTOR_MEMORY", "512m",
        "ADPO_SPARK_CONF", "--conf spark.ui.enabled=false --conf spark.default.parallelism=4"));
    if (config != null) {
      env.put("ADPO_CONFIG", config);
    }
    if (checkpoints != null) {
      env.put("ADPO_CHECKPOINT_DIR", checkpoints.toString());
    }
    return env;
  }

  private Path local(String name, String config, List<String> args) throws Exception {
    Path out = base.resolve("local-" + name);
    List<String> cmd = new ArrayList<>(List.of(project.resolve("bin/adpo").toString(), "select", "--master",
        "local[2]", "--input", project.resolve("data/fashion-mnist-pairs").toString(), "--output", out.toString()));
    if (config != null) {
      cmd.addAll(List.of("--config", config));
    }
    cmd.addAll(args);
    Result r = run(cmd, Map.of("ADPO_JAVA_OPTS", "-Xmx1g"), "local-" + name);
    assertEquals(0, r.exit, r.output);
    return out;
  }

  /** Same ids and ranks in the same order, gains within 1e-9. */
  private static void assertSameSelection(Path expected, Path actual) throws IOException {
    List<JsonNode> a = rows(expected);
    List<JsonNode> b = rows(actual);
    assertTrue(a.size() > 0);
    assertEquals(a.size(), b.size(), "number of picks");
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).get("id").asLong(), b.get(i).get("id").asLong(), "id of pick " + (i + 1));
      assertEquals(a.get(i).get("rank").asLong(), b.get(i).get("rank").asLong(), "rank of pick " + (i + 1));
      assertEquals(a.get(i).get("gain").asDouble(), b.get(i).get("gain").asDouble(), 1e-9, "gain of pick " + (i + 1));
    }
  }

  private static List<JsonNode> rows(Path output) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(output.resolve("selection"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            rows.add(JSON.readTree(line));
          }
        }
      }
    }
    rows.sort(Comparator.comparingLong(n -> n.get("rank").asLong()));
    return rows;
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> cmd, Map<String, String> env, String logName) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    File log = logs.resolve(logName + ".log").toFile();
    pb.redirectOutput(log);
    Process p = pb.start();
    synchronized (processes) {
      processes.add(p);
    }
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      destroy(p);
      throw new AssertionError(String.join(" ", cmd) + " did not finish in 3 minutes; log " + log);
    }
    return new Result(p.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
  }

  private void start(String name, List<String> mainAndArgs, String scala) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx512m"));
    cmd.addAll(List.of(opens.split("\\s+")));
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*"));
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(base.toFile()).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    // Without these the worker cannot build the executors' command line ("Cannot find any build
    // directories"); everything stays on the loopback interface.
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", scala);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_LOG_DIR", logs.toString());
    synchronized (processes) {
      processes.add(pb.start());
    }
  }

  /** Stops every process started here, children (executors) first, each wait bounded. */
  private void stopAll() {
    List<Process> all;
    synchronized (processes) {
      all = new ArrayList<>(processes);
      processes.clear();
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      destroy(all.get(i));
    }
  }

  private static void destroy(Process p) {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    for (ProcessHandle c : children) {
      if (c.isAlive()) {
        c.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) { // walk does not follow the jars/ symlink
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
