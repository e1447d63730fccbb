package org.adpo.online;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.adpo.error.UsageException;

/**
 * An exclusive lock on a state directory ({@code DIR/.lock}, an OS file lock), held while a command
 * reads and changes the state, so two commands on one state fail fast instead of interleaving. The
 * OS drops the lock when the process dies, even by {@code kill -9}, so a crash never leaves it stuck.
 */
final class StateLock implements AutoCloseable {
  static final String NAME = ".lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static StateLock acquire(Path dir) {
    Path file = dir.resolve(NAME);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        String holder = "";
        try {
          holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        } catch (IOException ignored) {
          // the message without the pid is still clear
        }
        ch.close();
        throw new UsageException("state " + dir + " is in use by another command"
            + (holder.isEmpty() ? "" : " (process " + holder + ")") + "; try again when it has finished");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
      return new StateLock(ch, l);
    } catch (IOException e) {
      try {
        if (ch != null) {
          ch.close();
        }
      } catch (IOException ignored) {
        // report the first failure
      }
      throw new UsageException("cannot lock state " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the OS releases the lock with the process anyway
    }
  }
}
