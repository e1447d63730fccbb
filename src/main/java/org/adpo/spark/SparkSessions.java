package org.adpo.spark;

import org.adpo.data.DeltaSupport;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Gets the session a command runs in. A master set by spark-submit or a notebook wins; otherwise the
 * configured one ({@code local[*]} by default). When the driver runs in a plain JVM against a
 * cluster, the application jar named by {@code ADPO_APP_JAR} is shipped to the executors.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Sessions that existed before a command asked for one (a Databricks JAR task, a notebook, an
   * application embedding {@code Main.run}): the command uses them but must not stop them.
   */
  private static final java.util.Set<SparkSession> BORROWED =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  /** The master a session created now would use: the CLI's, else spark-submit's, else the configured. */
  public static String master(String configuredMaster, String cliMaster) {
    return cliMaster != null ? cliMaster : new SparkConf().get("spark.master", configuredMaster);
  }

  public static SparkSession getOrCreate(String configuredMaster, String cliMaster, String appName) {
    SparkConf conf = new SparkConf();
    String master = master(configuredMaster, cliMaster);
    SparkSession.Builder b = SparkSession.builder().appName(appName).master(master)
        .config("spark.ui.showConsoleProgress", "false");
    String jar = System.getenv("ADPO_APP_JAR");
    if (jar != null && !master.startsWith("local") && !conf.contains("spark.jars")) {
      b.config("spark.jars", jar);
    }
    boolean existed = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    if (DeltaSupport.available() && !existed) {
      // Delta tables need its session extension and catalog; both are set only when delta-spark is
      // on the class path, so the core still runs without it, and only for a session created here
      // (a host's session keeps its own configuration). A user's own extensions are kept.
      String ext = conf.get("spark.sql.extensions", "");
      if (!ext.contains(DeltaSupport.EXTENSION)) {
        b.config("spark.sql.extensions", ext.isBlank() ? DeltaSupport.EXTENSION : ext + "," + DeltaSupport.EXTENSION);
      }
      if (!conf.contains("spark.sql.catalog.spark_catalog")) {
        b.config("spark.sql.catalog.spark_catalog", DeltaSupport.CATALOG);
      }
    }
    if (!existed) {
      checkMaster(master);
    }
    SparkSession spark;
    try {
      spark = b.getOrCreate();
    } catch (RuntimeException e) {
      throw new org.adpo.error.EnvironmentException("cannot start Spark with master " + master + ": "
          + org.adpo.data.PoolReader.rootMessage(e), e);
    }
    // A host's session may be a Spark Connect one (Databricks standard access mode): refuse it in one line.
    SparkFeatures.requireClassicSpark(spark);
    if (existed) {
      synchronized (BORROWED) {
        BORROWED.add(spark);
      }
    }
    return spark;
  }

  private static final java.util.regex.Pattern LOCAL =
      java.util.regex.Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?\\])?");
  private static final java.util.regex.Pattern LOCAL_CLUSTER =
      java.util.regex.Pattern.compile("local-cluster\\[[1-9][0-9]*,\\s*[1-9][0-9]*,\\s*[1-9][0-9]*\\]");

  /**
   * Refuses, in a second and before Spark starts, a master URL Spark cannot use: one of no known form,
   * {@code local[0]}, or a standalone master none of whose addresses accepts a connection (Spark itself
   * retries for a minute and then reports a stopped context). Exit 2.
   */
  static void checkMaster(String master) {
    String m = master == null ? "" : master.trim();
    if (LOCAL.matcher(m).matches() || LOCAL_CLUSTER.matcher(m).matches() || m.equals("yarn")
        || m.startsWith("k8s://") || m.startsWith("mesos://")) {
      return;
    }
    if (!m.startsWith("spark://")) {
      throw new org.adpo.error.UsageException("unknown master URL '" + org.adpo.error.Shown.value(master)
          + "'; expected local, local[N] or local[*] (N >= 1), spark://HOST:PORT, yarn or k8s://...");
    }
    String failure = null;
    for (String hostPort : m.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      int port;
      try {
        port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : -1;
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port <= 0 || port > 65535) {
        throw new org.adpo.error.UsageException("master URL " + master + " needs HOST:PORT after spark://");
      }
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(hostPort.substring(0, colon), port), 5000);
        return;
      } catch (java.io.IOException e) {
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
    }
    throw new org.adpo.error.UsageException("cannot reach the Spark master " + master + " (" + failure
        + "); is it running, and is the address right?");
  }

  /**
   * The Hadoop configuration a command's file system checks use before its session starts: the
   * running session's when there is one (a notebook, a host), else the one a session would get from
   * this JVM's Spark settings ({@code spark.hadoop.*}, the cluster's site files), without starting Spark.
   */
  public static org.apache.hadoop.conf.Configuration hadoopConf() {
    scala.Option<SparkSession> active = SparkSession.getActiveSession();
    if (active.isDefined()) {
      return active.get().sparkContext().hadoopConfiguration();
    }
    return org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(new SparkConf());
  }

  /** Stops a session {@link #getOrCreate} created; leaves one that was already running (it is the host's). */
  public static void release(SparkSession spark) {
    synchronized (BORROWED) {
      if (BORROWED.remove(spark)) {
        return;
      }
    }
    spark.stop();
  }

  /**
   * True inside a Databricks job or notebook, whose driver must neither stop the shared session nor
   * call {@code System.exit} (Databricks documents both as causing undefined behaviour).
   */
  public static boolean hostManagedDriver() {
    return System.getenv("DATABRICKS_RUNTIME_VERSION") != null;
  }
}
