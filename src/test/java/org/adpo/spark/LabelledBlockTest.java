package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class LabelledBlockTest {
  @Test
  void validatesLengths() {
    assertThrows(IllegalArgumentException.class, () -> new LabelledBlock(2, 3, new double[5], null, new double[2]));
    assertThrows(IllegalArgumentException.class, () -> new LabelledBlock(2, 3, new double[6], new double[3], new double[2]));
    assertThrows(IllegalArgumentException.class, () -> new LabelledBlock(2, 3, new double[6], null, new double[1]));
    assertThrows(IllegalArgumentException.class, () -> new LabelledBlock(2, 3, new double[6], null, null));
    assertThrows(IllegalArgumentException.class, () -> new LabelledBlock(-1, 3, new double[0], null, new double[0]));
  }

  @Test
  void absentOffsetIsZeroAndTheBlockSerialises() throws Exception {
    LabelledBlock blk = new LabelledBlock(2, 2, new double[] {1, 2, 3, 4}, null, new double[] {1, 0});
    assertArrayEquals(new double[] {0, 0}, blk.b(), 0.0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(blk);
    }
    LabelledBlock back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (LabelledBlock) in.readObject();
    }
    assertEquals(2, back.rows());
    assertEquals(2, back.d());
    assertArrayEquals(blk.phi(), back.phi(), 0.0);
    assertArrayEquals(blk.s(), back.s(), 0.0);
  }
}
