package org.adpo.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The progress record of a {@code select} run, kept beside its output: {@code .NAME.progress/progress.json}
 * next to {@code --output NAME}. It is read and written only under the output's claim (the lock
 * {@code .NAME.lock}), so one run at a time uses it; it is not one of the {@code .NAME.tmp-} leftovers
 * that a claim deletes, and a SIGTERM leaves it in place: that is what a rerun continues from. Each
 * write goes to a hidden temporary file in the same directory, which is forced to disk and renamed
 * over the record (a POSIX rename on a local file system, then the directory is forced; Hadoop's
 * overwriting rename elsewhere), so a reader sees one whole record, the old or the new.
 */
public final class ProgressFile implements ResumeStore {
  /** The record's file name inside the progress directory. */
  public static final String NAME = "progress.json";
  /** JVM system property: the least seconds between two writes (default 5; tests use less). */
  public static final String INTERVAL_PROPERTY = "adpo.select.progress-interval-s";

  private final FileSystem fs;
  private final Path dir;
  private final Path file;
  private final String shown;

  private ProgressFile(FileSystem fs, Path dir, String shown) {
    this.fs = fs;
    this.dir = dir;
    this.file = new Path(dir, NAME);
    this.shown = shown;
  }

  /** The progress record of {@code target}'s output ({@code .NAME.progress/} beside it). */
  public static ProgressFile of(OutputTarget target) {
    Path out = target.path();
    Path dir = new Path(out.getParent(), directoryName(out.getName()));
    boolean local = OutputTarget.localFile(target.fileSystem(), dir) != null;
    return new ProgressFile(target.fileSystem(), dir, local ? dir.toUri().getPath() : dir.toString());
  }

  /** {@code .NAME.progress}: hidden, and not matched by the {@code .NAME.tmp-} prefix of leftovers. */
  static String directoryName(String outputName) {
    return "." + outputName + ".progress";
  }

  @Override
  public byte[] read() {
    try {
      if (fs.exists(dir)) {
        // A temporary file of a write that a kill -9 interrupted: never renamed, so never read.
        for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir, p -> p.getName().startsWith("." + NAME + ".tmp-"))) {
          fs.delete(st.getPath(), false);
        }
      }
      if (!fs.exists(file)) {
        return null;
      }
      try (FSDataInputStream in = fs.open(file)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(byte[] bytes) {
    Path tmp = new Path(dir, "." + NAME + ".tmp-" + UUID.randomUUID());
    try {
      fs.mkdirs(dir);
      java.io.File local = OutputTarget.localFile(fs, file);
      if (local != null) {
        java.nio.file.Path t = OutputTarget.localFile(fs, tmp).toPath();
        try (FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.wrap(bytes);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        }
        Files.move(t, local.toPath(), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel ch = FileChannel.open(local.toPath().getParent(), StandardOpenOption.READ)) {
          ch.force(true);
        } catch (IOException e) {
          // some file systems cannot open a directory; the rename is atomic there all the same
        }
        return;
      }
      try (FSDataOutputStream out = fs.create(tmp, false)) {
        out.write(bytes);
        out.hsync();
      }
      FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, file, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      try {
        fs.delete(tmp, false);
        if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
          fs.delete(dir, false); // no record was ever written (a full disk): nothing to leave behind
        }
      } catch (IOException ignored) {
        // the write's own failure is the one to report
      }
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete() {
    try {
      fs.delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String where() {
    return shown;
  }

  @Override
  public long intervalNanos() {
    double s = Double.parseDouble(System.getProperty(INTERVAL_PROPERTY, "5"));
    return (long) (s * 1e9);
  }
}
