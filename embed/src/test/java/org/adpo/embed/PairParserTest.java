package org.adpo.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.adpo.embed.PairParser.Columns;
import org.adpo.embed.PairParser.Layout;
import org.adpo.embed.PairParser.Resolved;
import org.junit.jupiter.api.Test;

/** Record parsing: every layout, auto's decision, roles, pass-through, and errors that never quote the row. */
class PairParserTest {
  private static final String SECRET = "zebracorn";

  /** The layout decided on this record (as the job does on the first one), then the record parsed. */
  static TextPair parse(String json, long index, Layout l, Columns c) {
    Resolved r = resolve(json, l, c);
    return PairParser.parse(json, index, r);
  }

  static Resolved resolve(String json, Layout l, Columns c) {
    String[] error = new String[1];
    Resolved r = PairParser.decide(PairParser.object(json), l, c, error);
    assertTrue(r != null, error[0]);
    return r;
  }

  static Columns ref(String name) {
    return Columns.defaults().with("reference", name);
  }

  @Test
  void tripleAndDialogueRows() {
    TextPair t = parse("{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\",\"ref\":0.5}", 3, Layout.AUTO, ref("ref"));
    assertTrue(t.ok());
    assertEquals(3, t.id);
    assertEquals(4, t.line);
    assertEquals("p", t.chosenPrompt);
    assertEquals("p", t.rejectedPrompt);
    assertEquals("c", t.chosen);
    assertEquals("r", t.rejected);
    assertEquals(0.5, t.reference);
    assertNull(t.extras);

    String dialogue = "{\"chosen\":\"\\n\\nHuman: q\\n\\nAssistant: yes\",\"rejected\":\"\\n\\nHuman: q\\n\\nAssistant: no\"}";
    assertEquals(Layout.DIALOGUE, resolve(dialogue, Layout.AUTO, Columns.defaults()).layout());
    TextPair d = parse(dialogue, 0, Layout.AUTO, Columns.defaults());
    assertTrue(d.ok(), d.error);
    assertEquals("\n\nHuman: q", d.chosenPrompt);
    assertEquals("\n\nAssistant: yes", d.chosen);
    assertEquals("\n\nAssistant: no", d.rejected);
    assertEquals(0.0, d.reference);
  }

  @Test
  void chatMessagesTakeTheLastAssistantTurnAsTheResponse() {
    // the layout of most hub preference sets: a prompt string and whole conversations per side
    String uf = "{\"prompt\":\"Name a fruit.\",\"prompt_id\":\"a1\",\"score_chosen\":8.5,"
        + "\"chosen\":[{\"role\":\"user\",\"content\":\"Name a fruit.\"},{\"role\":\"assistant\",\"content\":\"An apple.\"}],"
        + "\"rejected\":[{\"role\":\"user\",\"content\":\"Name a fruit.\"},{\"role\":\"assistant\",\"content\":\"A chair.\"}]}";
    Resolved r = resolve(uf, Layout.AUTO, Columns.defaults());
    assertEquals(Layout.CHAT, r.layout());
    assertTrue(r.reason().startsWith("auto: "), r.reason());
    TextPair t = PairParser.parse(uf, 0, r);
    assertTrue(t.ok(), t.error);
    assertEquals("Name a fruit.", t.chosenPrompt);
    assertEquals("An apple.", t.chosen);
    assertEquals("A chair.", t.rejected);
    assertEquals("{\"prompt_id\":\"a1\",\"score_chosen\":8.5}", t.extras, "prompt is read, the rest passes through");

    // multi-turn, the prompt as a list of messages before each side
    String multi = "{\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Hello.\"}],"
        + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Go away.\"},{\"role\":\"user\",\"content\":\"?\"}]}";
    TextPair m = parse(multi, 0, Layout.AUTO, Columns.defaults());
    assertTrue(m.ok(), m.error);
    assertEquals("system: Be brief.\n\nuser: Hi", m.chosenPrompt);
    assertEquals("Hello.", m.chosen);
    assertEquals("system: Be brief.\n\nuser: Hi", m.rejectedPrompt);
    assertEquals("Go away.", m.rejected, "the last assistant turn, even with a user turn after it");

    assertError("{\"chosen\":[{\"role\":\"user\",\"content\":\"" + SECRET + "\"}],\"rejected\":[]}", Layout.AUTO,
        Columns.defaults(), "field 'chosen' has no assistant message (layout chat)");
    assertError("{\"chosen\":[{\"role\":\"assistant\",\"content\":\"x\"}],\"rejected\":[{\"role\":\"assistant\"}]}",
        Layout.AUTO, Columns.defaults(), "field 'rejected' message 1 has no string 'content' (layout chat)");
    assertError("{\"chosen\":[{\"role\":\"assistant\",\"content\":\" \"}],\"rejected\":[]}", Layout.AUTO,
        Columns.defaults(), "field 'chosen': the last assistant message is empty (layout chat)");
  }

  @Test
  void pairwisePreferenceOrientsTheResponsesAndTiesAreDropped() {
    String one = "{\"instruction\":\"q\",\"output_1\":\"a\",\"output_2\":\"b\",\"preference\":1,\"judge\":\"x\"}";
    Resolved r = resolve(one, Layout.AUTO, Columns.defaults());
    assertEquals(Layout.PAIRWISE, r.layout());
    assertEquals("instruction", r.columns().prompt(), "AlpacaEval's prompt field");
    TextPair t = PairParser.parse(one, 0, r);
    assertEquals("a", t.chosen);
    assertEquals("b", t.rejected);
    assertEquals("q", t.chosenPrompt);
    assertEquals("{\"judge\":\"x\"}", t.extras);
    TextPair two = PairParser.parse(one.replace("\"preference\":1", "\"preference\":2.0"), 0, r);
    assertEquals("b", two.chosen);
    assertEquals("a", two.rejected);
    for (String tie : new String[] {"1.5", "0", "1.25"}) {
      TextPair x = PairParser.parse(one.replace("\"preference\":1", "\"preference\":" + tie), 0, r);
      assertTrue(x.tie && !x.ok() && !x.bad(), tie);
    }
    TextPair three = PairParser.parse(one.replace("\"preference\":1", "\"preference\":3"), 6, r);
    assertEquals("field 'preference' is 3; expected 1 or 2 (the better response), or 0 or a value between 1 and 2"
        + " for a tie (layout pairwise)", three.error);
    TextPair text = PairParser.parse(one.replace("\"preference\":1", "\"preference\":\"" + SECRET + "\""), 6, r);
    assertTrue(text.error.startsWith("field 'preference' is not a number;"), text.error);
    assertFalse(text.error.contains(SECRET));
  }

  @Test
  void columnsRenameRolesAndTheIdFieldBecomesTheKey() {
    Columns c = Columns.defaults().with("prompt", "question").with("chosen", "good").with("rejected", "bad")
        .with("id", "uid");
    String json = "{\"question\":\"q\",\"good\":\"g\",\"bad\":\"b\",\"uid\":\"k-7\",\"phi\":1,\"s\":0}";
    Resolved r = resolve(json, Layout.AUTO, c);
    assertEquals(Layout.TRIPLE, r.layout());
    TextPair t = PairParser.parse(json, 4, r);
    assertEquals("k-7", t.key);
    assertEquals(4, t.id);
    assertEquals("{\"input_phi\":1,\"input_s\":0}", t.extras, "names of pool columns get input_");
    assertEquals(42L, PairParser.parse(json.replace("\"k-7\"", "42"), 4, r).key);
    assertEquals("field 'uid' (the id) is not an integer or a non-empty string",
        PairParser.parse(json.replace("\"k-7\"", "1.5"), 4, r).error);
  }

  @Test
  void autoNamesTheFieldsWhenNoLayoutFits() {
    String[] error = new String[1];
    assertNull(PairParser.decide(PairParser.object("{\"question\":\"" + SECRET + "\",\"answer\":\"a\"}"),
        Layout.AUTO, Columns.defaults(), error));
    assertTrue(error[0].startsWith("fits no layout: expected 'chosen' and 'rejected'"), error[0]);
    assertTrue(error[0].contains("it has the fields [question, answer]"), error[0]);
    assertFalse(error[0].contains(SECRET));
    // chosen and rejected texts without a prompt and without dialogue turns
    assertNull(PairParser.decide(PairParser.object("{\"chosen\":\"a\",\"rejected\":\"b\"}"), Layout.AUTO,
        Columns.defaults(), error));
  }

  @Test
  void errorsNameTheFieldAndNeverTheText() {
    Columns d = Columns.defaults();
    String t = " (layout triple)";
    Resolved triple = new Resolved(Layout.TRIPLE, d, "");
    assertTripleError("{\"prompt\":\"" + SECRET + "\",\"chosen\":\"c\"}", triple, "missing field 'rejected'" + t);
    assertTripleError("{\"prompt\":\"" + SECRET + "\",\"chosen\":\"  \",\"rejected\":\"r\"}", triple,
        "field 'chosen' is empty" + t);
    assertError("{\"prompt\":\"\",\"chosen\":\"" + SECRET + "\",\"rejected\":\"r\"}", Layout.AUTO, d,
        "field 'prompt' is empty" + t);
    assertError("{\"prompt\":\"" + SECRET + "\",\"chosen\":3,\"rejected\":\"r\"}", Layout.AUTO, d,
        "field 'chosen' is not a string" + t);
    assertError("{\"chosen\":\"" + SECRET + "\",\"rejected\":\"x\"}", Layout.DIALOGUE, d,
        "field 'chosen' has no '\\n\\nAssistant:' turn (layout dialogue)");
    assertError("{\"chosen\":\"" + SECRET + "\",\"rejected\":\"x\"}", Layout.TRIPLE, d, "missing field 'prompt'" + t);
    assertError("{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"" + SECRET + "\"}", Layout.AUTO, ref("ref"),
        "missing field 'ref' (the reference log-ratio)");
    assertError("{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\",\"ref\":\"" + SECRET + "\"}", Layout.AUTO,
        ref("ref"), "field 'ref' is not a finite number");
    assertTripleError("[\"" + SECRET + "\"]", triple, "not a JSON object");
    TextPair bad = PairParser.parse("{\"prompt\": \"" + SECRET + "\" \"chosen\"", 8, triple);
    assertFalse(bad.ok());
    assertTrue(bad.error.startsWith("invalid JSON at column "), bad.error);
    assertFalse(bad.error.contains(SECRET), bad.error);
    assertNull(PairParser.parseLayout("quad"));
  }

  private static void assertTripleError(String json, Resolved r, String expected) {
    TextPair t = PairParser.parse(json, 6, r);
    assertTrue(t.bad());
    assertEquals(7, t.line);
    assertEquals(expected, t.error);
    assertFalse(t.error.contains(SECRET));
  }

  private static void assertError(String json, Layout l, Columns c, String expected) {
    TextPair t = parse(json, 6, l, c);
    assertTrue(t.bad());
    assertEquals(7, t.line);
    assertEquals(expected, t.error);
    assertFalse(t.error.contains(SECRET));
  }
}
