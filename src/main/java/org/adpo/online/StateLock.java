package org.adpo.online;

import java.io.IOException;
import java.nio.file.Path;
import org.adpo.error.UsageException;
import org.adpo.io.FileClaim;

/**
 * An exclusive lock on a state directory ({@code DIR/.lock}, an OS file lock), held while a command
 * reads and changes the state, so two commands on one state fail fast instead of interleaving. The
 * OS drops the lock when the process dies, even by {@code kill -9}, so a crash never leaves it stuck.
 */
final class StateLock implements AutoCloseable {
  static final String NAME = ".lock";

  private final FileClaim claim;

  private StateLock(FileClaim claim) {
    this.claim = claim;
  }

  static StateLock acquire(Path dir) {
    Path file = dir.resolve(NAME);
    FileClaim c;
    try {
      c = FileClaim.tryTake(file, false);
    } catch (IOException e) {
      throw new UsageException("cannot lock state " + dir + ": " + e.getMessage(), e);
    }
    if (c == null) {
      String holder = FileClaim.holder(file);
      throw new UsageException("state " + dir + " is in use by another command"
          + (holder.isEmpty() ? "" : " (process " + holder + ")") + "; try again when it has finished");
    }
    return new StateLock(c);
  }

  @Override
  public void close() {
    claim.close();
  }
}
