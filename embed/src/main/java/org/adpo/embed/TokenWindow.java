package org.adpo.embed;

/**
 * Fits a prompt and a response into the model's token window. The model sees
 * {@code [CLS] + prompt tail + response + [SEP]}: the response's word pieces are always kept (a
 * response longer than the window is cut to its first {@code window - 2} pieces and no prompt is
 * kept); the prompt contributes its LAST pieces, as many as still fit. Prompt and response are
 * tokenized separately and their pieces joined.
 */
public final class TokenWindow {
  private TokenWindow() {}

  /** The ids the model reads, special tokens included; at most {@code window} of them. */
  public static long[] join(long[] prompt, long[] response, int window, long cls, long sep) {
    int room = window - 2;
    int r = Math.min(response.length, room);
    int p = Math.min(prompt.length, room - r);
    long[] ids = new long[p + r + 2];
    ids[0] = cls;
    System.arraycopy(prompt, prompt.length - p, ids, 1, p);
    System.arraycopy(response, 0, ids, 1 + p, r);
    ids[ids.length - 1] = sep;
    return ids;
  }

  /** True when {@link #join} drops pieces of the prompt or the response. */
  public static boolean cuts(int promptPieces, int responsePieces, int window) {
    return promptPieces + responsePieces > window - 2;
  }
}
