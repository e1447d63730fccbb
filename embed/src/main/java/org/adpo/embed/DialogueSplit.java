package org.adpo.embed;

/**
 * Splits an hh-rlhf dialogue ("\n\nHuman: ... \n\nAssistant: ...") into its prompt and its last
 * response: the prompt is everything before the last {@code "\n\nAssistant:"}, the response is the
 * rest, marker included, so prompt + response is the dialogue itself. The marker keeps an empty
 * last turn (hh-rlhf has a few) from being an empty text.
 */
public final class DialogueSplit {
  /** The marker that starts an assistant turn. */
  public static final String ASSISTANT = "\n\nAssistant:";

  private DialogueSplit() {}

  /** {prompt, response}; null when the dialogue has no assistant turn. */
  public static String[] split(String dialogue) {
    int at = dialogue.lastIndexOf(ASSISTANT);
    if (at < 0) {
      return null;
    }
    return new String[] {dialogue.substring(0, at), dialogue.substring(at)};
  }
}
