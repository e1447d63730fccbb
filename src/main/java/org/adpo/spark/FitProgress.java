package org.adpo.spark;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.adpo.model.Lbfgs;

/**
 * Progress of a theta fit: every few seconds (not for a fit that ends sooner) one line with the
 * iteration, loss and gradient norm, so that a long fit is not silent.
 */
final class FitProgress implements Lbfgs.Listener {
  static final long PERIOD_NANOS = 3_000_000_000L;
  private final String what;
  private final LongSupplier clock;
  private final Consumer<String> sink;
  private final long start;
  private long last;

  FitProgress(String what) {
    this(what, System::nanoTime, ProgressLog::info);
  }

  FitProgress(String what, LongSupplier clock, Consumer<String> sink) {
    this.what = what;
    this.clock = clock;
    this.sink = sink;
    this.start = clock.getAsLong();
    this.last = start;
  }

  @Override
  public void onIteration(int iteration, double value, double gradientNorm, int evaluations) {
    long now = clock.getAsLong();
    if (now - last < PERIOD_NANOS) {
      return;
    }
    last = now;
    sink.accept(String.format(Locale.ROOT, "%s: iteration %d, loss %.6g, gradient norm %.3g, %d evaluations,"
        + " elapsed %.1f s", what, iteration, value, gradientNorm, evaluations, (now - start) / 1e9));
  }
}
