package org.adpo.embed;

import java.io.Serializable;

/**
 * One parsed input record: the prompt and response of the chosen side and of the rejected side (in
 * the dialogue and chat layouts each side has its own prompt, normally the same), the optional
 * reference log-ratio log pi0(chosen|x) - log pi0(rejected|x), the value of the id field when one
 * is named ({@code key}: a Long or a String), and the record's other fields as a JSON object text
 * ({@code extras}, null when there are none). A record is ok, a tie (a pairwise record whose
 * preference names no winner: dropped and counted), or failed with {@code error}; errors never quote
 * the record's text.
 */
public final class TextPair implements Serializable {
  private static final long serialVersionUID = 2L;

  /** 0-based record index (line index for JSON Lines); the pool's id when no id field is named. */
  public final long id;
  /** 1-based record number, as error messages name it. */
  public final long line;
  public final String chosenPrompt;
  public final String chosen;
  public final String rejectedPrompt;
  public final String rejected;
  public final double reference;
  public final Object key;
  public final String extras;
  public final boolean tie;
  public final String error;

  TextPair(long id, long line, String chosenPrompt, String chosen, String rejectedPrompt, String rejected,
      double reference, Object key, String extras) {
    this.id = id;
    this.line = line;
    this.chosenPrompt = chosenPrompt;
    this.chosen = chosen;
    this.rejectedPrompt = rejectedPrompt;
    this.rejected = rejected;
    this.reference = reference;
    this.key = key;
    this.extras = extras;
    this.tie = false;
    this.error = null;
  }

  private TextPair(long id, long line, boolean tie, String error) {
    this.id = id;
    this.line = line;
    this.chosenPrompt = null;
    this.chosen = null;
    this.rejectedPrompt = null;
    this.rejected = null;
    this.reference = 0;
    this.key = null;
    this.extras = null;
    this.tie = tie;
    this.error = error;
  }

  static TextPair failed(long id, long line, String error) {
    return new TextPair(id, line, false, error);
  }

  static TextPair tie(long id, long line) {
    return new TextPair(id, line, true, null);
  }

  /** True for a record that becomes a pool row. */
  public boolean ok() {
    return error == null && !tie;
  }

  /** True for a record that stops the run. */
  public boolean bad() {
    return error != null;
  }
}
