package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Broadcasts that live as long as the RDDs whose closures reference them. A cached RDD still ships
 * its lineage (and so its broadcasts) with every task, so such a broadcast may be destroyed only
 * when the RDD is no longer used: at the end of the run, in {@link #close()}, even on failure.
 */
final class BroadcastScope implements AutoCloseable {
  private final JavaSparkContext jsc;
  private final List<Broadcast<?>> live = new ArrayList<>();

  public BroadcastScope(JavaSparkContext jsc) {
    this.jsc = jsc;
  }

  public <T> Broadcast<T> broadcast(T value) {
    Broadcast<T> b = jsc.broadcast(value);
    live.add(b);
    return b;
  }

  @Override
  public void close() {
    for (Broadcast<?> b : live) {
      b.destroy();
    }
    live.clear();
  }
}
