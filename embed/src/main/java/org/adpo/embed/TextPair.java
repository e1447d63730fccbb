package org.adpo.embed;

import java.io.Serializable;

/**
 * One parsed input row: the prompt and response of the chosen side and of the rejected side (in
 * the dialogue format each side has its own prompt, normally the same), and the optional reference
 * log-ratio log pi0(chosen|x) - log pi0(rejected|x). Exactly one of {@code error} and the texts is
 * set; errors never quote the row's text.
 */
public final class TextPair implements Serializable {
  private static final long serialVersionUID = 1L;

  public final long id;
  public final long line;
  public final String chosenPrompt;
  public final String chosen;
  public final String rejectedPrompt;
  public final String rejected;
  public final double reference;
  public final String error;

  TextPair(long id, long line, String chosenPrompt, String chosen, String rejectedPrompt, String rejected,
      double reference) {
    this.id = id;
    this.line = line;
    this.chosenPrompt = chosenPrompt;
    this.chosen = chosen;
    this.rejectedPrompt = rejectedPrompt;
    this.rejected = rejected;
    this.reference = reference;
    this.error = null;
  }

  private TextPair(long id, long line, String error) {
    this.id = id;
    this.line = line;
    this.chosenPrompt = null;
    this.chosen = null;
    this.rejectedPrompt = null;
    this.rejected = null;
    this.reference = 0;
    this.error = error;
  }

  static TextPair failed(long id, long line, String error) {
    return new TextPair(id, line, error);
  }

  public boolean ok() {
    return error == null;
  }
}
