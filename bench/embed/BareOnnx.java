import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.adpo.embed.MiniLmEncoder;
import org.adpo.embed.PairParser;
import org.adpo.embed.TextPair;

/**
 * The bare ONNX Runtime rate of all-minilm-l6-v2-q on the word-piece sequences bin/adpo embed feeds
 * it for a file (both sides of every pair, cut to the window as embed cuts them), without Spark:
 * <ul>
 *   <li>{@code batched}: one session with intra-op threads = all cores, sequences sorted by length
 *       and run in padded batches of {@code B};
 *   <li>{@code single}: one session with one intra-op thread, one sequence per run, one Java thread
 *       per core (the per-sequence runs embed makes, with nothing else around them).
 * </ul>
 * Prints one line per mode: pairs/s, word pieces/s (real pieces, padding not counted), GFLOP/s
 * (2 x multiply-adds of the 6 layers for each sequence's real length L: 12 L d^2 + 2 L^2 d, d = 384),
 * and the largest difference of a batched embedding from the same sequence run alone.
 * usage: java -cp EMBED_CLASSPATH bench/embed/BareOnnx.java FILE.jsonl[.gz] PAIRS [BATCH] [MODES]
 */
public class BareOnnx {
  static final int D = 384;

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int pairs = Integer.parseInt(args[1]);
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    List<String> modes = args.length > 3 ? Arrays.asList(args[3].split(",")) : List.of("batched", "single");
    int cores = Runtime.getRuntime().availableProcessors();

    MiniLmEncoder enc = new MiniLmEncoder(1); // only its tokenizer and window
    List<long[]> seqs = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while (lines.size() < pairs && (line = r.readLine()) != null) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    String[] error = new String[1];
    PairParser.Resolved layout = PairParser.decide(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        lines.get(0)), PairParser.Layout.AUTO, PairParser.Columns.defaults(), error);
    long t0 = System.nanoTime();
    for (int i = 0; i < lines.size(); i++) {
      TextPair t = PairParser.parse(lines.get(i), i, layout);
      seqs.add(enc.join(enc.pieces(t.chosenPrompt), enc.pieces(t.chosen)));
      seqs.add(enc.join(enc.pieces(t.rejectedPrompt), enc.pieces(t.rejected)));
    }
    double tokenize = (System.nanoTime() - t0) / 1e9;
    long pieces = 0;
    double flop = 0;
    for (long[] s : seqs) {
      pieces += s.length;
      flop += 6 * 2.0 * (12.0 * s.length * D * D + 2.0 * s.length * (double) s.length * D);
    }
    System.out.printf(Locale.ROOT, "sequences %d (%d pairs), %d word pieces (%.1f per sequence),"
        + " %.2f GFLOP; tokenizing (one thread) %.2f s%n", seqs.size(), lines.size(), pieces,
        pieces / (double) seqs.size(), flop / 1e9, tokenize);

    byte[] model;
    try (InputStream m = MiniLmEncoder.class.getResourceAsStream("/all-minilm-l6-v2-q.onnx")) {
      model = m.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (String mode : modes) {
      int threads = mode.equals("batched") ? cores : 1;
      OrtSession.SessionOptions o = new OrtSession.SessionOptions();
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, o)) {
        run(env, session, seqs.subList(0, Math.min(8, seqs.size())), batch, mode, cores); // warm-up
        long s0 = System.nanoTime();
        List<float[]> out = run(env, session, seqs, batch, mode, cores);
        double sec = (System.nanoTime() - s0) / 1e9;
        String diff = "";
        if (mode.equals("batched")) {
          List<long[]> head = seqs.subList(0, Math.min(64, seqs.size()));
          List<float[]> alone = run(env, session, head, 1, "batched", cores);
          double worst = 0;
          for (int i = 0; i < head.size(); i++) {
            for (int j = 0; j < D; j++) {
              worst = Math.max(worst, Math.abs(alone.get(i)[j] - out.get(i)[j]));
            }
          }
          diff = String.format(Locale.ROOT, "; batched vs alone: max |difference| %.3g", worst);
        }
        System.out.printf(Locale.ROOT,
            "bare %s (batch %d, %d intra-op threads x %d callers): %.2f s, %.1f pairs/s, %.0f word pieces/s,"
                + " %.1f GFLOP/s%s%n", mode, mode.equals("batched") ? batch : 1, threads,
            mode.equals("batched") ? 1 : cores, sec, lines.size() / sec, pieces / sec, flop / sec / 1e9, diff);
      }
    }
  }

  /** Embeddings of {@code seqs} in their order. */
  static List<float[]> run(OrtEnvironment env, OrtSession session, List<long[]> seqs, int batch, String mode,
      int cores) throws Exception {
    float[][] out = new float[seqs.size()][];
    if (mode.equals("batched")) {
      Integer[] order = new Integer[seqs.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingInt(i -> seqs.get(i).length));
      for (int from = 0; from < order.length; from += batch) {
        List<Integer> ids = Arrays.asList(order).subList(from, Math.min(order.length, from + batch));
        List<long[]> b = new ArrayList<>();
        for (int i : ids) {
          b.add(seqs.get(i));
        }
        float[][] e = embed(env, session, b);
        for (int k = 0; k < ids.size(); k++) {
          out[ids.get(k)] = e[k];
        }
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(cores);
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> jobs = new ArrayList<>();
      for (int c = 0; c < cores; c++) {
        jobs.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < seqs.size()) {
            out[i] = embed(env, session, List.of(seqs.get(i)))[0];
          }
          return null;
        }));
      }
      for (Future<?> j : jobs) {
        j.get();
      }
      pool.shutdown();
    }
    return Arrays.asList(out);
  }

  /** One run on a padded batch: mean over each sequence's real tokens, then L2 norm. */
  static float[][] embed(OrtEnvironment env, OrtSession session, List<long[]> seqs) throws Exception {
    int n = seqs.size();
    int len = 0;
    for (long[] s : seqs) {
      len = Math.max(len, s.length);
    }
    LongBuffer ids = ByteBuffer.allocateDirect(n * len * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
    LongBuffer mask = ByteBuffer.allocateDirect(n * len * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
    LongBuffer types = ByteBuffer.allocateDirect(n * len * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
    for (long[] s : seqs) {
      for (int t = 0; t < len; t++) {
        ids.put(t < s.length ? s[t] : 0L);
        mask.put(t < s.length ? 1L : 0L);
      }
    }
    ids.rewind();
    mask.rewind();
    long[] shape = {n, len};
    try (OnnxTensor a = OnnxTensor.createTensor(env, ids, shape);
        OnnxTensor m = OnnxTensor.createTensor(env, mask, shape);
        OnnxTensor ty = OnnxTensor.createTensor(env, types, shape)) {
      Map<String, OnnxTensor> in = new HashMap<>();
      in.put("input_ids", a);
      in.put("attention_mask", m);
      if (session.getInputNames().contains("token_type_ids")) {
        in.put("token_type_ids", ty);
      }
      try (OrtSession.Result r = session.run(in, Set.of("last_hidden_state"))) {
        FloatBuffer h = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[][] e = new float[n][];
        for (int b = 0; b < n; b++) {
          int k = seqs.get(b).length;
          float[] v = new float[D];
          for (int t = 0; t < k; t++) {
            for (int j = 0; j < D; j++) {
              v[j] += h.get((b * len + t) * D + j);
            }
          }
          double sq = 0;
          for (int j = 0; j < D; j++) {
            v[j] /= k;
            sq += (double) v[j] * v[j];
          }
          float norm = (float) Math.sqrt(sq);
          for (int j = 0; j < D; j++) {
            v[j] /= norm;
          }
          e[b] = v;
        }
        return e;
      }
    }
  }
}
