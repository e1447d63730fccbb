package org.adpo.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.adpo.error.BadInputException;

/**
 * Reads the IDX files of MNIST-like data sets (Fashion-MNIST ships them): unsigned-byte images
 * (magic {@code 0x00000803}: count, rows, cols) and unsigned-byte labels (magic {@code 0x00000801}: count).
 * Files may be gzip-compressed (detected by the magic bytes {@code 1f 8b}) or raw.
 *
 * <p>Everything is checked: the magic number, the dimensions, and the length (a file shorter or longer
 * than its header announces is rejected). Every problem is a {@link BadInputException} whose message names
 * the file and says what was wrong.
 */
public final class IdxReader {
  /** IDX magic of a 3-D unsigned-byte array (images). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** IDX magic of a 1-D unsigned-byte array (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  private static final int BUFFER = 1 << 16;

  private IdxReader() {}

  /** Reads an image file ({@code *-images-idx3-ubyte[.gz]}). */
  public static IdxImages readImages(Path file) {
    try (DataInputStream in = open(file)) {
      int magic = readHeaderInt(in, file, "magic number");
      checkMagic(file, magic, IMAGES_MAGIC, "images (3-D unsigned bytes)");
      int n = readHeaderInt(in, file, "image count");
      int rows = readHeaderInt(in, file, "row count");
      int cols = readHeaderInt(in, file, "column count");
      if (n < 0 || rows <= 0 || cols <= 0) {
        throw bad(file, "bad dimensions " + n + " x " + rows + " x " + cols);
      }
      long size = (long) n * rows * cols;
      if (size > Integer.MAX_VALUE - 16) {
        throw bad(file, "too large: " + n + " x " + rows + " x " + cols + " pixels");
      }
      byte[] pixels = readBody(in, file, (int) size, "pixel bytes for " + n + " images of " + rows + "x" + cols);
      return new IdxImages(n, rows, cols, pixels);
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  /** Reads a label file ({@code *-labels-idx1-ubyte[.gz]}); labels are returned as 0..255. */
  public static int[] readLabels(Path file) {
    try (DataInputStream in = open(file)) {
      int magic = readHeaderInt(in, file, "magic number");
      checkMagic(file, magic, LABELS_MAGIC, "labels (1-D unsigned bytes)");
      int n = readHeaderInt(in, file, "label count");
      if (n < 0) {
        throw bad(file, "bad label count " + n);
      }
      byte[] raw = readBody(in, file, n, "label bytes");
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = raw[i] & 0xff;
      }
      return labels;
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw;
    try {
      raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
    } catch (NoSuchFileException e) {
      throw bad(file, file.toAbsolutePath().startsWith("/usr/share/datasets/fashion-mnist")
          ? "no such file; the Debian package dataset-fashion-mnist provides it (apt-get install dataset-fashion-mnist)"
          : "no such file");
    }
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        raw = new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
      }
      return new DataInputStream(raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw bad(file, "truncated: the header ends before the " + what);
    }
  }

  private static void checkMagic(Path file, int magic, int expected, String kind) {
    if (magic == expected) {
      return;
    }
    String hint = "";
    if (magic == IMAGES_MAGIC) {
      hint = " (this is an IDX image file)";
    } else if (magic == LABELS_MAGIC) {
      hint = " (this is an IDX label file)";
    } else if ((magic >>> 16) != 0) {
      hint = " (not an IDX file)";
    }
    throw bad(file, String.format("bad magic number 0x%08x, expected 0x%08x for IDX %s%s", magic, expected, kind, hint));
  }

  private static byte[] readBody(DataInputStream in, Path file, int size, String what) throws IOException {
    byte[] body = new byte[size];
    int got = 0;
    while (got < size) {
      int r = in.read(body, got, size - got);
      if (r < 0) {
        throw bad(file, "truncated: expected " + size + " " + what + " after the header, found only " + got);
      }
      got += r;
    }
    if (in.read() >= 0) {
      throw bad(file, "longer than its header announces: trailing bytes after " + size + " " + what);
    }
    return body;
  }

  private static BadInputException bad(Path file, String message) {
    return new BadInputException("IDX file " + file + ": " + message);
  }

  private static BadInputException io(Path file, IOException e) {
    if (e instanceof EOFException) {
      // GZIPInputStream: "Unexpected end of ZLIB input stream" on a cut-off .gz file.
      return new BadInputException("IDX file " + file + ": truncated gzip data (" + e.getMessage() + ")", e);
    }
    if (e instanceof ZipException) {
      return new BadInputException("IDX file " + file + ": corrupt gzip data (" + e.getMessage() + ")", e);
    }
    return new BadInputException("IDX file " + file + ": cannot read (" + e + ")", e);
  }
}
