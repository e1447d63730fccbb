package org.adpo.data;

import java.util.Arrays;

/**
 * A stack of grey-scale images read from an IDX file (the MNIST / Fashion-MNIST format): {@code count}
 * images of {@code rows x cols} unsigned bytes, stored row-major, image after image.
 *
 * <p>Immutable: the pixel buffer is never handed out, only single pixels or copies, so one instance can
 * be shared by the generator and the tests without defensive care.
 */
public final class IdxImages {
  private final int count;
  private final int rows;
  private final int cols;
  private final byte[] pixels;

  /** Wraps {@code pixels} (taken over, not copied; package use only: {@link IdxReader} owns the buffer). */
  IdxImages(int count, int rows, int cols, byte[] pixels) {
    if (count < 0 || rows < 0 || cols < 0 || (long) count * rows * cols != pixels.length) {
      throw new IllegalArgumentException(
          "pixel buffer of " + pixels.length + " bytes does not hold " + count + " images of " + rows + "x" + cols);
    }
    this.count = count;
    this.rows = rows;
    this.cols = cols;
    this.pixels = pixels;
  }

  /** Builds an instance from a copy of {@code pixels} (row-major, image after image). */
  public static IdxImages of(int count, int rows, int cols, byte[] pixels) {
    return new IdxImages(count, rows, cols, pixels.clone());
  }

  /** Number of images. */
  public int count() {
    return count;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Pixels per image ({@code rows * cols}). */
  int pixelsPerImage() {
    return rows * cols;
  }

  /** Pixel {@code position} (row-major, 0 .. rows*cols-1) of image {@code image}, as 0..255. */
  int pixel(int image, int position) {
    if (image < 0 || image >= count || position < 0 || position >= rows * cols) {
      throw new IndexOutOfBoundsException("image " + image + ", pixel " + position);
    }
    return pixels[image * (rows * cols) + position] & 0xff;
  }

  /** A copy of all pixels of image {@code image} as 0..255 values. */
  public int[] image(int image) {
    int p = rows * cols;
    int[] out = new int[p];
    for (int j = 0; j < p; j++) {
      out[j] = pixel(image, j);
    }
    return out;
  }

  /** A copy of the whole buffer (unsigned bytes, row-major, image after image). */
  byte[] pixels() {
    return pixels.clone();
  }

  /**
   * Whether pixel {@code position} takes more than one value over the images (non-zero variance).
   * Returned for all positions at once: one pass over the buffer.
   */
  boolean[] nonConstantPixels() {
    int p = rows * cols;
    boolean[] varies = new boolean[p];
    if (count == 0) {
      return varies;
    }
    for (int i = 1; i < count; i++) {
      int base = i * p;
      for (int j = 0; j < p; j++) {
        if (pixels[base + j] != pixels[j]) {
          varies[j] = true;
        }
      }
    }
    return varies;
  }

  /** Raw buffer for package-internal hot loops; callers must not modify it. */
  byte[] buffer() {
    return pixels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdxImages other
        && count == other.count && rows == other.rows && cols == other.cols
        && Arrays.equals(pixels, other.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * count + rows) + cols) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "IdxImages[" + count + " x " + rows + "x" + cols + "]";
  }
}
