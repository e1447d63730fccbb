package org.adpo.embed;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one {@link MiniLmEncoder} of this JVM, created on first use (on an executor: by its first
 * task) and shared by every later task, so the 23 MB model is loaded once per executor, not once
 * per partition. Tasks reach it through this class, never through a captured reference.
 */
public final class MiniLm {
  private static final AtomicInteger CREATED = new AtomicInteger();
  private static volatile MiniLmEncoder instance;

  private MiniLm() {}

  /** The shared encoder (one ONNX Runtime thread per calling task). */
  public static MiniLmEncoder encoder() {
    MiniLmEncoder e = instance;
    if (e == null) {
      synchronized (MiniLm.class) {
        e = instance;
        if (e == null) {
          e = new MiniLmEncoder(Integer.getInteger("adpo.embed.threads", 1));
          CREATED.incrementAndGet();
          instance = e;
        }
      }
    }
    return e;
  }

  /** How many encoders this JVM has created (1 once any task ran). */
  public static int created() {
    return CREATED.get();
  }
}
