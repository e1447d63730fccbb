package org.adpo.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real model: tokenizer without hidden truncation, window, agreement with langchain4j, semantics. */
class MiniLmEncoderTest {
  private static final MiniLmEncoder ENC = MiniLm.encoder();

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void tokenizerDoesNotCutAndWindowKeepsTheResponse() {
    String longPrompt = "word ".repeat(400);
    long[] p = ENC.pieces(longPrompt);
    assertEquals(400, p.length, "no truncation at tokenizer.json's 128");
    String response = "the answer is forty two";
    long[] r = ENC.pieces(response);
    long[] ids = ENC.windowIds(longPrompt, response);
    assertEquals(MiniLmEncoder.WINDOW, ids.length);
    assertEquals(101, ids[0]);
    assertEquals(102, ids[ids.length - 1]);
    assertArrayEquals(r, Arrays.copyOfRange(ids, ids.length - 1 - r.length, ids.length - 1));
    // a response longer than the window is cut to its first 254 pieces
    long[] only = ENC.windowIds("prompt", "answer ".repeat(300));
    assertEquals(MiniLmEncoder.WINDOW, only.length);
    assertEquals(ENC.pieces("answer")[0], only[1]);
  }

  @Test
  void sameEmbeddingAsLangchain4jForAShortText() {
    String text = "A cat sat on the warm windowsill and watched the birds.";
    float[] ours = ENC.embed(text);
    float[] theirs = new AllMiniLmL6V2QuantizedEmbeddingModel().embed(text).content().vector();
    assertEquals(MiniLmEncoder.DIM, ours.length);
    assertEquals(1.0, dot(ours, ours), 1e-5);
    for (int j = 0; j < ours.length; j++) {
      assertEquals(theirs[j], ours[j], 1e-5, "coordinate " + j);
    }
  }

  @Test
  void paraphraseIsCloserThanAnUnrelatedSentence() {
    float[] a = ENC.embed("How do I bake a chocolate cake?");
    float[] para = ENC.embed("What is a recipe for chocolate cake?");
    float[] other = ENC.embed("The train to Berlin leaves at nine in the morning.");
    double close = dot(a, para);
    double far = dot(a, other);
    assertTrue(close > far + 0.3, "cos paraphrase " + close + " vs unrelated " + far);
  }

  @Test
  void promptAndResponseJoinLikeOneText() {
    // Whitespace and punctuation split words, so separate tokenization equals joint tokenization here.
    String prompt = "\n\nHuman: is the sky blue?";
    String response = "\n\nAssistant: Yes, on a clear day.";
    assertArrayEquals(ENC.windowIds("", prompt + response), ENC.windowIds(prompt, response));
  }

  @Test
  void reusedInputBuffersDoNotCarryOverBetweenCalls() {
    String text = "A short answer.";
    float[] first = ENC.embed(text);
    ENC.embed("prompt words ".repeat(200), "a long response ".repeat(40)); // a full window
    assertArrayEquals(first, ENC.embed(text));
    float[][] other = new float[1][];
    Thread t = new Thread(() -> other[0] = ENC.embed(text)); // another thread, its own buffers
    t.start();
    assertDoesNotThrow(() -> t.join());
    assertArrayEquals(first, other[0]);
  }
}
