package org.adpo.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real local Spark session shared by every test class of a Surefire fork: created on first use,
 * stopped when the JUnit run ends (JUnit closes AutoCloseable values of the root store).
 * Usage: {@code @ExtendWith(SparkSessionExtension.class)} and a {@code SparkSession} parameter.
 */
public final class SparkSessionExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(SparkSessionExtension.class);

  static final class Holder implements AutoCloseable {
    final SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("adpo-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "4")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            // The shared session runs the lazy loop's rounds as Spark jobs, the path a cluster takes;
            // DriverRoundsTest runs the driver rounds (the local default) against it.
            .config("spark.adpo.select.rounds", "executors")
            .getOrCreate();

    @Override
    public void close() {
      spark.stop();
    }
  }

  public static SparkSession session(ExtensionContext ctx) {
    return ctx.getRoot().getStore(NS).getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class).spark;
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return session(e);
  }
}
