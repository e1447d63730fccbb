package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.adpo.data.BundledPool;
import org.adpo.error.UnsupportedSessionException;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The session guard of the Java API: a live classic session passes; a stopped one (real, in its own JVM)
 * and Spark Connect's refusals (the exceptions Spark Connect and Databricks throw, quoted from their
 * sources) give one line naming the missing feature and the supported modes.
 */
@ExtendWith(SparkSessionExtension.class)
class SparkFeaturesTest {

  /** Spark 4.0's message for {@code connect.SparkSession.sparkContext} (error-conditions.json, spark-common-utils 4.0.1). */
  private static final String CONNECT_SPARK_CONTEXT = "[UNSUPPORTED_CONNECT_FEATURE.SESSION_SPARK_CONTEXT] Feature is not"
      + " supported in Spark Connect: Access to the SparkContext. SQLSTATE: 0A000";
  /** Databricks' wording of the same condition (docs: error-messages/unsupported-connect-feature-error-class). */
  private static final String DATABRICKS_SPARK_CONTEXT = "[UNSUPPORTED_CONNECT_FEATURE.SESSION_SPARK_CONTEXT] SparkContext"
      + " is not available on Standard access mode or Serverless compute. Switch to Dedicated access mode to access it.";
  private static final String DATABRICKS_RDD = "[UNSUPPORTED_CONNECT_FEATURE.RDD] Resilient Distributed Datasets (RDDs)"
      + " are not available on Standard access mode or Serverless compute. Use the DataFrame API instead, or switch to"
      + " Dedicated access mode.";

  @Test
  void liveClassicSessionPasses(SparkSession spark) {
    assertDoesNotThrow(() -> SparkFeatures.requireClassicSpark(spark));
    assertFalse(spark.sparkContext().isStopped());
  }

  @Test
  void noSessionIsRefused() {
    UnsupportedSessionException e = assertThrows(UnsupportedSessionException.class,
        () -> SparkFeatures.requireClassicSpark(null));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("no SparkSession"), e.getMessage());
  }

  /** A Spark error with an error condition, as Spark Connect's client throws it (SparkUnsupportedOperationException). */
  private static final class ConditionError extends UnsupportedOperationException implements SparkThrowable {
    private static final long serialVersionUID = 1L;
    private final String condition;

    ConditionError(String condition, String message) {
      super(message);
      this.condition = condition;
    }

    public String getCondition() { // the abstract accessor on Spark 4.0
      return condition;
    }

    @Override
    public String getErrorClass() { // the abstract accessor on Spark 3.5
      return condition;
    }
  }

  @Test
  void sparkConnectRefusalsAreRecognised() throws Exception {
    List<Throwable> connect = new ArrayList<>();
    connect.add(new ConditionError("UNSUPPORTED_CONNECT_FEATURE.SESSION_SPARK_CONTEXT", CONNECT_SPARK_CONTEXT));
    connect.add(new UnsupportedOperationException(DATABRICKS_SPARK_CONTEXT));
    connect.add(new RuntimeException("job failed", new UnsupportedOperationException(DATABRICKS_RDD)));
    // Spark 4.0: the very exception ConnectClientUnsupportedErrors.sparkContext() builds.
    Throwable real = realConnectError();
    if (real != null) {
      assertTrue(real.getMessage().contains("UNSUPPORTED_CONNECT_FEATURE.SESSION_SPARK_CONTEXT"), real.getMessage());
      connect.add(real);
    } else {
      assertTrue(org.apache.spark.package$.MODULE$.SPARK_VERSION().startsWith("3."),
          "the Connect error must be constructible on Spark 4");
    }
    for (Throwable t : connect) {
      assertTrue(SparkFeatures.isSparkConnectRefusal(t), t.toString());
      String m = SparkFeatures.describe("a SparkContext (spark.sparkContext())", t);
      assertTrue(m.startsWith("this is a Spark Connect session (as in Databricks standard access mode or serverless"
          + " compute), which does not provide a SparkContext"), m);
      assertTrue(m.contains("dedicated (single user) or no-isolation access mode"), m);
      assertTrue(m.contains("standalone, YARN or Kubernetes"), m);
      assertFalse(m.contains("\n"), "one line: " + m);
    }
  }

  @Test
  void otherFailuresAreQuotedNotMistakenForConnect() {
    IllegalStateException stopped = new IllegalStateException("Cannot call methods on a stopped SparkContext.\nmore");
    assertFalse(SparkFeatures.isSparkConnectRefusal(stopped));
    String m = SparkFeatures.describe("RDDs (sparkContext.emptyRDD)", stopped);
    assertTrue(m.startsWith("the session does not provide RDDs (sparkContext.emptyRDD) (IllegalStateException: Cannot"
        + " call methods on a stopped SparkContext.)"), m);
    assertFalse(m.contains("\n"), m);
    assertFalse(SparkFeatures.isSparkConnectRefusal(new ConditionError("DIVIDE_BY_ZERO", "x")));
  }

  private static Throwable realConnectError() throws Exception {
    Class<?> c = Class.forName("org.apache.spark.SparkUnsupportedOperationException");
    try {
      return (Throwable) c.getConstructor(String.class, Map.class)
          .newInstance("UNSUPPORTED_CONNECT_FEATURE.SESSION_SPARK_CONTEXT", Map.of());
    } catch (NoSuchMethodException e) {
      return null; // Spark 3.5: no java.util.Map constructor and no such error condition
    }
  }

  @Test
  void stoppedSessionGivesOneClearLine() throws Exception {
    Path project = BundledPool.projectDir();
    String pom = Files.readString(project.resolve("pom.xml"), StandardCharsets.UTF_8);
    Matcher opens = Pattern.compile("<spark.jvm.opens>(.*?)</spark.jvm.opens>", Pattern.DOTALL).matcher(pom);
    assertTrue(opens.find(), "spark.jvm.opens in pom.xml");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    for (String o : opens.group(1).trim().split("\\s+")) {
      cmd.add(o);
    }
    cmd.add("-Dlog4j2.configurationFile=" + project.resolve("conf/log4j2.properties"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StoppedSessionProbe.class.getName());
    cmd.add(project.resolve(BundledPool.RELATIVE_DIR).toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "probe finished");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("CLASS " + UnsupportedSessionException.class.getName()), out);
    assertTrue(out.contains("EXIT 2"), out);
    Matcher message = Pattern.compile("(?m)^MESSAGE (.*)$").matcher(out);
    assertTrue(message.find(), out);
    String m = message.group(1);
    assertTrue(m.startsWith("the session's SparkContext is stopped (spark.stop() was called)"), m);
    assertTrue(m.contains("dedicated (single user) or no-isolation access mode"), m);
  }
}
