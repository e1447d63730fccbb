package org.adpo.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The prompt split, the token window and the seeded swap: plain logic, no model. */
class TextLogicTest {
  @Test
  void dialogueSplitsAtTheLastAssistantTurn() {
    String d = "\n\nHuman: hi\n\nAssistant: hello\n\nHuman: and?\n\nAssistant: bye";
    String[] pr = DialogueSplit.split(d);
    assertEquals("\n\nHuman: hi\n\nAssistant: hello\n\nHuman: and?", pr[0]);
    assertEquals("\n\nAssistant: bye", pr[1]);
    assertEquals(d, pr[0] + pr[1]);
    // an empty last turn still gives a non-empty response (the marker)
    assertEquals("\n\nAssistant:", DialogueSplit.split("\n\nHuman: x\n\nAssistant:")[1]);
    assertNull(DialogueSplit.split("\n\nHuman: no answer"));
  }

  @Test
  void windowKeepsThePromptTailAndTheWholeResponse() {
    long[] prompt = {1, 2, 3, 4, 5, 6};
    long[] response = {7, 8, 9};
    // window 8: room 6 = 3 response + last 3 prompt pieces
    assertArrayEquals(new long[] {101, 4, 5, 6, 7, 8, 9, 102}, TokenWindow.join(prompt, response, 8, 101, 102));
    assertTrue(TokenWindow.cuts(6, 3, 8));
    // everything fits
    assertArrayEquals(new long[] {101, 1, 2, 3, 4, 5, 6, 7, 8, 9, 102},
        TokenWindow.join(prompt, response, 20, 101, 102));
    assertFalse(TokenWindow.cuts(6, 3, 11));
    // a response longer than the window: its first pieces, no prompt
    long[] longResponse = {11, 12, 13, 14, 15, 16, 17};
    assertArrayEquals(new long[] {101, 11, 12, 13, 14, 102}, TokenWindow.join(prompt, longResponse, 6, 101, 102));
    // empty prompt
    assertArrayEquals(new long[] {101, 7, 8, 9, 102}, TokenWindow.join(new long[0], response, 6, 101, 102));
  }

  @Test
  void swapIsSeededBalancedAndNotConstant() {
    int n = 20000;
    int ones = 0;
    int differ = 0;
    for (long id = 0; id < n; id++) {
      int s = PairSwap.label(1, id);
      assertTrue(s == 0 || s == 1);
      assertEquals(s, PairSwap.label(1, id), "deterministic");
      ones += s;
      differ += s != PairSwap.label(2, id) ? 1 : 0;
    }
    // Binomial(20000, 1/2): sd 71; 6 sd bounds
    assertTrue(Math.abs(ones - n / 2) < 430, "ones " + ones);
    assertTrue(Math.abs(differ - n / 2) < 430, "seed changes about half the labels: " + differ);
    assertNotEquals(0, differ);
  }
}
