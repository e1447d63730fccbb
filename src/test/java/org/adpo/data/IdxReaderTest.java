package org.adpo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.adpo.error.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  // 3 images of 2x3; values above 127 check the unsigned conversion.
  private static final byte[] PIXELS = {
    0, 1, 2, 3, 4, 5,
    (byte) 255, (byte) 200, (byte) 128, 127, 0, 9,
    10, 20, 30, 40, 50, 60
  };
  private static final byte[] LABELS = {3, 0, (byte) 250};

  static byte[] imagesFile(int magic, int n, int rows, int cols, byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    out.writeInt(n);
    out.writeInt(rows);
    out.writeInt(cols);
    out.write(body);
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] labelsFile(int magic, int n, byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    out.writeInt(n);
    out.write(body);
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(raw);
    }
    return bytes.toByteArray();
  }

  private Path file(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private BadInputException rejectsImages(Path f) {
    BadInputException e = assertThrows(BadInputException.class, () -> IdxReader.readImages(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    return e;
  }

  private BadInputException rejectsLabels(Path f) {
    BadInputException e = assertThrows(BadInputException.class, () -> IdxReader.readLabels(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    return e;
  }

  @Test
  void readsSyntheticImagesRawAndGzip() throws IOException {
    byte[] raw = imagesFile(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS);
    for (Path f : new Path[] {file("img.idx", raw), file("img.idx.gz", gzip(raw)), file("img-gz-no-suffix", gzip(raw))}) {
      IdxImages images = IdxReader.readImages(f);
      assertEquals(3, images.count());
      assertEquals(2, images.rows());
      assertEquals(3, images.cols());
      assertArrayEquals(PIXELS, images.pixels());
      assertEquals(255, images.pixel(1, 0));
      assertEquals(128, images.pixel(1, 2));
      assertArrayEquals(new int[] {10, 20, 30, 40, 50, 60}, images.image(2));
      assertArrayEquals(new boolean[] {true, true, true, true, true, true}, images.nonConstantPixels());
    }
  }

  @Test
  void readsSyntheticLabelsRawAndGzip() throws IOException {
    byte[] raw = labelsFile(IdxReader.LABELS_MAGIC, 3, LABELS);
    assertArrayEquals(new int[] {3, 0, 250}, IdxReader.readLabels(file("lab.idx", raw)));
    assertArrayEquals(new int[] {3, 0, 250}, IdxReader.readLabels(file("lab.idx.gz", gzip(raw))));
  }

  @Test
  void readsEmptyImageSet() throws IOException {
    IdxImages images = IdxReader.readImages(file("empty.idx", imagesFile(IdxReader.IMAGES_MAGIC, 0, 28, 28, new byte[0])));
    assertEquals(0, images.count());
  }

  @Test
  void rejectsBadMagic() throws IOException {
    byte[] labels = labelsFile(IdxReader.LABELS_MAGIC, 3, LABELS);
    assertTrue(rejectsImages(file("labels-as-images.idx", labels)).getMessage().contains("magic"));
    byte[] images = imagesFile(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS);
    assertTrue(rejectsLabels(file("images-as-labels.idx.gz", gzip(images))).getMessage().contains("magic"));
    byte[] junk = imagesFile(0x12345678, 3, 2, 3, PIXELS);
    assertTrue(rejectsImages(file("junk.idx", junk)).getMessage().contains("0x12345678"));
  }

  @Test
  void rejectsTruncatedFiles() throws IOException {
    byte[] raw = imagesFile(IdxReader.IMAGES_MAGIC, 3, 2, 3, PIXELS);
    byte[] shortBody = Arrays.copyOf(raw, raw.length - 1);
    assertTrue(rejectsImages(file("short.idx", shortBody)).getMessage().contains("truncated"));
    assertTrue(rejectsImages(file("short-inner.idx.gz", gzip(shortBody))).getMessage().contains("truncated"));
    assertTrue(rejectsImages(file("short-header.idx", Arrays.copyOf(raw, 10))).getMessage().contains("truncated"));
    assertTrue(rejectsImages(file("empty.idx", new byte[0])).getMessage().contains("truncated"));
    byte[] gz = gzip(raw);
    assertTrue(rejectsImages(file("cut.idx.gz", Arrays.copyOf(gz, gz.length - 12))).getMessage().contains("truncated"));
    byte[] labels = labelsFile(IdxReader.LABELS_MAGIC, 3, LABELS);
    assertTrue(rejectsLabels(file("short-labels.idx", Arrays.copyOf(labels, labels.length - 2)))
        .getMessage().contains("truncated"));
  }

  @Test
  void rejectsTrailingBytesAndBadDimensions() throws IOException {
    byte[] tooLong = imagesFile(IdxReader.IMAGES_MAGIC, 2, 2, 3, PIXELS);
    assertTrue(rejectsImages(file("long.idx", tooLong)).getMessage().contains("trailing"));
    rejectsImages(file("negative.idx", imagesFile(IdxReader.IMAGES_MAGIC, -1, 2, 3, PIXELS)));
    rejectsImages(file("zero-rows.idx", imagesFile(IdxReader.IMAGES_MAGIC, 3, 0, 3, new byte[0])));
    rejectsImages(file("huge.idx", imagesFile(IdxReader.IMAGES_MAGIC, 1 << 20, 1 << 10, 1 << 10, PIXELS)));
    rejectsLabels(file("neg-labels.idx", labelsFile(IdxReader.LABELS_MAGIC, -3, LABELS)));
  }

  @Test
  void rejectsMissingFile() {
    assertTrue(rejectsImages(dir.resolve("missing.gz")).getMessage().contains("no such file"));
  }

  @Test
  void readsFashionMnistTestSplit() {
    assertTrue(Files.exists(BundledPool.T10K_IMAGES),
        "the Debian package dataset-fashion-mnist must be installed (.ci/run installs it)");
    IdxImages images = IdxReader.readImages(BundledPool.T10K_IMAGES);
    int[] labels = IdxReader.readLabels(BundledPool.T10K_LABELS);
    assertEquals(10000, images.count());
    assertEquals(28, images.rows());
    assertEquals(28, images.cols());
    assertEquals(10000, labels.length);
    int[] counts = new int[10];
    for (int l : labels) {
      counts[l]++; // throws if a label is outside 0..9
    }
    int[] thousand = new int[10];
    Arrays.fill(thousand, 1000);
    assertArrayEquals(thousand, counts);
    int max = 0;
    for (int j = 0; j < 784; j++) {
      max = Math.max(max, images.pixel(0, j));
    }
    assertTrue(max > 200, "first image looks blank");
  }

  @Test
  void readsFashionMnistTrainSplit() {
    assertTrue(Files.exists(BundledPool.TRAIN_IMAGES),
        "the Debian package dataset-fashion-mnist must be installed (.ci/run installs it)");
    IdxImages images = IdxReader.readImages(BundledPool.TRAIN_IMAGES);
    assertEquals(60000, images.count());
    assertEquals(784, images.pixelsPerImage());
    assertEquals(60000, IdxReader.readLabels(BundledPool.TRAIN_LABELS).length);
  }
}
