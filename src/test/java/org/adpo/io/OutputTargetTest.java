package org.adpo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.adpo.error.UsageException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output rules on a local file system, for directory outputs and one-file outputs, without Spark. */
class OutputTargetTest {
  @TempDir Path dir;

  private void write(String out, boolean overwrite, boolean asFile, String text) {
    try (OutputTarget t = OutputTarget.claim(new Configuration(), out, overwrite, "test", List.of())) {
      t.commit((fs, tmp) -> {
        org.apache.hadoop.fs.Path p = asFile ? tmp : new org.apache.hadoop.fs.Path(tmp, "part");
        try (OutputStream os = fs.create(p, false)) {
          os.write(text.getBytes(StandardCharsets.UTF_8));
        }
      });
    }
  }

  private List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
    }
  }

  @Test
  void aOneFileOutputIsCommittedWithItsMarkerBesideItAndCanBeOverwritten() throws Exception {
    String out = dir.resolve("train.jsonl").toString();
    write(out, false, true, "first\n");
    assertEquals("first\n", Files.readString(dir.resolve("train.jsonl")));
    assertEquals(List.of(".train.jsonl" + OutputTarget.MARKER, "train.jsonl"), names());
    UsageException again = assertThrows(UsageException.class, () -> write(out, false, true, "second\n"));
    assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    write(out, true, true, "second\n");
    assertEquals("second\n", Files.readString(dir.resolve("train.jsonl")));
    assertEquals(List.of(".train.jsonl" + OutputTarget.MARKER, "train.jsonl"), names());
  }

  @Test
  void overwriteRefusesAFileThisToolDidNotWrite() throws Exception {
    Path foreign = dir.resolve("notes.txt");
    Files.writeString(foreign, "keep me");
    UsageException e = assertThrows(UsageException.class, () -> write(foreign.toString(), true, true, "x"));
    assertTrue(e.getMessage().contains("did not write"), e.getMessage());
    assertEquals("keep me", Files.readString(foreign));
  }

  @Test
  void aDirectoryOutputHoldsTheMarkerAndOverwriteNeedsIt() throws Exception {
    String out = dir.resolve("sel").toString();
    write(out, false, false, "a");
    assertTrue(Files.exists(dir.resolve("sel").resolve(OutputTarget.MARKER)));
    write(out, true, false, "b");
    assertEquals("b", Files.readString(dir.resolve("sel").resolve("part")));
    Path foreign = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(foreign.resolve("data"), "keep");
    assertThrows(UsageException.class, () -> write(foreign.toString(), true, false, "c"));
    assertEquals("keep", Files.readString(foreign.resolve("data")));
    assertFalse(names().stream().anyMatch(n -> n.contains(".tmp-")), names().toString());
  }
}
