package org.adpo.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.adpo.embed.PairParser.Format;
import org.junit.jupiter.api.Test;

/** Row parsing: both layouts, the reference column, and errors that never quote the row. */
class PairParserTest {
  private static final String SECRET = "zebracorn";

  @Test
  void tripleAndDialogueRows() {
    TextPair t = PairParser.parse("{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\",\"ref\":0.5}", 4,
        Format.AUTO, "ref");
    assertTrue(t.ok());
    assertEquals(3, t.id);
    assertEquals("p", t.chosenPrompt);
    assertEquals("p", t.rejectedPrompt);
    assertEquals("c", t.chosen);
    assertEquals("r", t.rejected);
    assertEquals(0.5, t.reference);

    TextPair d = PairParser.parse(
        "{\"chosen\":\"\\n\\nHuman: q\\n\\nAssistant: yes\",\"rejected\":\"\\n\\nHuman: q\\n\\nAssistant: no\"}", 1,
        Format.AUTO, null);
    assertTrue(d.ok(), d.error);
    assertEquals("\n\nHuman: q", d.chosenPrompt);
    assertEquals("\n\nAssistant: yes", d.chosen);
    assertEquals("\n\nAssistant: no", d.rejected);
    assertEquals(0.0, d.reference);
  }

  @Test
  void errorsNameTheFieldAndNeverTheText() {
    assertError("{\"prompt\":\"" + SECRET + "\",\"chosen\":\"c\"}", Format.AUTO, null, "missing field 'rejected'");
    assertError("{\"prompt\":\"" + SECRET + "\",\"chosen\":\"  \",\"rejected\":\"r\"}", Format.AUTO, null,
        "field 'chosen' is empty");
    assertError("{\"prompt\":\"\",\"chosen\":\"" + SECRET + "\",\"rejected\":\"r\"}", Format.AUTO, null,
        "field 'prompt' is empty");
    assertError("{\"prompt\":\"" + SECRET + "\",\"chosen\":3,\"rejected\":\"r\"}", Format.AUTO, null,
        "field 'chosen' is not a string");
    assertError("{\"chosen\":\"" + SECRET + "\",\"rejected\":\"x\"}", Format.AUTO, null,
        "field 'chosen' has no '\\n\\nAssistant:' turn (dialogue format)");
    assertError("{\"chosen\":\"" + SECRET + "\",\"rejected\":\"x\"}", Format.TRIPLE, null, "missing field 'prompt'");
    assertError("{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"" + SECRET + "\"}", Format.AUTO, "ref",
        "missing field 'ref' (--reference-column)");
    assertError("{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\",\"ref\":\"" + SECRET + "\"}", Format.AUTO,
        "ref", "field 'ref' is not a finite number");
    assertError("[\"" + SECRET + "\"]", Format.AUTO, null, "not a JSON object");
    TextPair bad = PairParser.parse("{\"prompt\": \"" + SECRET + "\" \"chosen\"", 9, Format.AUTO, null);
    assertFalse(bad.ok());
    assertTrue(bad.error.startsWith("invalid JSON at column "), bad.error);
    assertFalse(bad.error.contains(SECRET), bad.error);
    assertNull(PairParser.parseFormat("quad"));
  }

  private static void assertError(String json, Format f, String ref, String expected) {
    TextPair t = PairParser.parse(json, 7, f, ref);
    assertFalse(t.ok());
    assertEquals(7, t.line);
    assertEquals(expected, t.error);
    assertFalse(t.error.contains(SECRET));
  }
}
