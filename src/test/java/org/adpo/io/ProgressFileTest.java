package org.adpo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress record beside an output: replaced whole by each write, read back as written, left
 * alone by the next claim's cleanup of {@code .NAME.tmp-} leftovers, rid of an interrupted write's
 * temporary file, and deleted with its directory.
 */
class ProgressFileTest {
  @TempDir Path dir;

  private OutputTarget claim(String out) {
    return OutputTarget.claim(new Configuration(), dir.resolve(out).toString(), false, "select", List.of());
  }

  @Test
  void writesReplaceTheRecordWholeAndSurviveTheNextClaim() throws Exception {
    Path record = dir.resolve(".out.progress").resolve(ProgressFile.NAME);
    try (OutputTarget t = claim("out")) {
      ProgressFile p = ProgressFile.of(t);
      assertNull(p.read(), "no record yet");
      p.write("first\n".getBytes(StandardCharsets.UTF_8));
      p.write("second\n".getBytes(StandardCharsets.UTF_8));
      assertArrayEquals("second\n".getBytes(StandardCharsets.UTF_8), p.read());
      assertEquals(dir.resolve(".out.progress").toString(), p.where());
    }
    // A kill -9 during a write leaves its temporary file; the next claim keeps the record itself.
    Path stray = record.resolveSibling("." + ProgressFile.NAME + ".tmp-0000");
    Files.writeString(stray, "half");
    try (OutputTarget t = claim("out")) {
      ProgressFile p = ProgressFile.of(t);
      assertArrayEquals("second\n".getBytes(StandardCharsets.UTF_8), p.read());
      assertFalse(Files.exists(stray), "the interrupted write's temporary file is deleted");
      p.delete();
      assertNull(p.read());
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertTrue(s.noneMatch(f -> f.getFileName().toString().startsWith(".out.progress")), "deleted with its directory");
    }
  }
}
