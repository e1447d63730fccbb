package org.adpo.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An exclusive OS file lock on one local file, holding the owner's process id. The OS drops the
 * lock when the process dies, even by {@code kill -9}, so a crash never leaves it stuck. Used for an
 * output's claim ({@link OutputTarget}) and for an online state's lock.
 */
public final class FileClaim implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final boolean deleteOnRelease;
  private boolean released;

  private FileClaim(Path file, FileChannel channel, FileLock lock, boolean deleteOnRelease) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.deleteOnRelease = deleteOnRelease;
  }

  /**
   * Locks {@code file} (created if missing), or returns null when another process or thread holds it.
   * With {@code deleteOnRelease}, the file is deleted when released.
   */
  public static FileClaim tryTake(Path file, boolean deleteOnRelease) throws IOException {
    for (int attempt = 0; attempt < 10; attempt++) {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.READ);
      Object before = key(file);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        return null;
      }
      // A holder that deletes the file does so before it unlocks: a lock on a file that is no longer
      // at the path (or was replaced) is no claim, so try again on the current file.
      if (before != null && before.equals(key(file))) {
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
        return new FileClaim(file, ch, l, deleteOnRelease);
      }
      l.release();
      ch.close();
    }
    return null;
  }

  /** The process id the holder of {@code file} wrote, or "" when it cannot be read. */
  public static String holder(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static Object key(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    try {
      if (deleteOnRelease) {
        Files.deleteIfExists(file); // while still holding the lock: see tryTake
      }
    } catch (IOException ignored) {
      // an empty lock file left behind is harmless: the next claim reuses it
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the OS releases the lock with the process
    }
  }
}
