package org.adpo.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.adpo.cli.CliRunner;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The embed rows of docs/errors.md' catalogue (the table whose exit code comes last): every
 * documented case is run here and every case run here is documented, with the documented exit code
 * and exactly the documented first {@code error: } line ({@code …} stands for any text), no stack
 * trace, no row text, and nothing written. The cases run in this JVM through {@link EmbedMain#run}
 * (the code behind {@code bin/adpo embed}) on one shared Spark session, so the catalogue costs one
 * model load instead of one JVM per case; {@link EmbedCommandIT} runs the launcher itself.
 */
@ExtendWith(SparkSessionExtension.class)
class EmbedBadInputIT {
  private static final String SECRET = "zebracorn";
  private static final String P = "{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\"}";
  private static final String PAIR = "{\"prompt\":\"p\",\"output_1\":\"a\",\"output_2\":\"b\",\"preference\":1}";
  private static final String CHAT = "{\"chosen\":[{\"role\":\"user\",\"content\":\"q\"},"
      + "{\"role\":\"assistant\",\"content\":\"a\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}]}";

  @TempDir static Path dir;
  static Map<String, String[]> cases = new LinkedHashMap<>();
  static Map<String, Documented> documented;

  record Documented(int exitCode, String message) {}

  record Run(int exitCode, String out, String err) {}

  static String f(String name) {
    return dir.resolve(name).toString();
  }

  static void write(String name, String... lines) throws Exception {
    Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
  }

  static void embedCase(String name, String file, String... more) {
    List<String> a = new ArrayList<>(List.of("embed", "--input", file.contains("/") ? file : f(file), "--output",
        f("out-" + cases.size())));
    a.addAll(List.of(more));
    cases.put(name, a.toArray(new String[0]));
  }

  static void exportCase(String name, String selection, String... more) {
    List<String> a = new ArrayList<>(List.of("embed", "export", "--selection", selection, "--output",
        f("out-" + cases.size() + ".jsonl")));
    a.addAll(List.of(more));
    cases.put(name, a.toArray(new String[0]));
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = EmbedMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void files(SparkSession spark) throws Exception {
    documented = readCatalogue(CliRunner.projectDir().resolve("docs/errors.md"));
    write("good.jsonl", P, P.replace("\"c\"", "\"c2\""), P.replace("\"r\"", "\"r3\""), P.replace("\"p\"", "\"p4\""));
    write("bad-json.jsonl", P, "{\"prompt\":\"" + SECRET + "\",\"chosen\":");
    write("not-object.jsonl", P, "[\"" + SECRET + "\"]");
    write("missing-field.jsonl", P, "{\"prompt\":\"" + SECRET + "\",\"chosen\":\"c\"}");
    write("empty-field.jsonl", P, "{\"prompt\":\"" + SECRET + "\",\"chosen\":\" \",\"rejected\":\"r\"}");
    write("not-string.jsonl", P, "{\"prompt\":\"" + SECRET + "\",\"chosen\":3,\"rejected\":\"r\"}");
    write("no-turn.jsonl", "{\"chosen\":\"\\n\\nHuman: q\\n\\nAssistant: a\",\"rejected\":\"\\n\\nHuman: q\\n\\nAssistant: b\"}",
        "{\"chosen\":\"" + SECRET + "\",\"rejected\":\"\\n\\nHuman: q\\n\\nAssistant: b\"}");
    write("no-layout.jsonl", "{\"question\":\"" + SECRET + "\",\"answer\":\"a\"}");
    write("chat-no-assistant.jsonl", CHAT, "{\"chosen\":[{\"role\":\"user\",\"content\":\"" + SECRET + "\"}],"
        + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}]}");
    write("chat-no-content.jsonl", CHAT, "{\"chosen\":[{\"role\":\"user\",\"content\":\"" + SECRET + "\"},"
        + "{\"role\":\"assistant\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}]}");
    write("chat-empty.jsonl", CHAT, "{\"chosen\":[{\"role\":\"user\",\"content\":\"" + SECRET + "\"},"
        + "{\"role\":\"assistant\",\"content\":\"\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}]}");
    write("chat-not-list.jsonl", CHAT, "{\"chosen\":\"" + SECRET + "\",\"rejected\":[]}");
    write("pair-range.jsonl", PAIR, PAIR.replace("\"preference\":1", "\"preference\":3"));
    write("pair-text.jsonl", PAIR, PAIR.replace("\"preference\":1", "\"preference\":\"" + SECRET + "\""));
    write("pair-missing.jsonl", PAIR, PAIR.replace(",\"preference\":1", ""));
    write("all-ties.jsonl", PAIR.replace("\"preference\":1", "\"preference\":1.5"),
        PAIR.replace("\"preference\":1", "\"preference\":0"));
    write("ids.jsonl", P.replace("{", "{\"uid\":1,"), P.replace("{", "{\"uid\":2,"), P.replace("{", "{\"uid\":1,"));
    write("id-missing.jsonl", P.replace("{", "{\"uid\":1,"), P);
    write("id-type.jsonl", P.replace("{", "{\"uid\":1,"), P.replace("{", "{\"uid\":1.5,"));
    write("ref.jsonl", P.replace("{", "{\"ref\":0.5,"), P);
    write("ref-type.jsonl", P.replace("{", "{\"ref\":0.5,"), P.replace("{", "{\"ref\":\"" + SECRET + "\","));
    write("empty.jsonl");
    Files.writeString(dir.resolve("broken-array.json"), "[\n" + P + ",\n{\"prompt\":\"" + SECRET + "\",\n",
        StandardCharsets.UTF_8);
    try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(dir.resolve("packed.jsonl")))) {
      os.write((P + "\n").getBytes(StandardCharsets.UTF_8));
    }

    // a pool without text, its selection, and a selection of a pool that embed did not write
    Run pool = run("embed", "--input", f("good.jsonl"), "--output", f("pool"), "--output-format", "jsonl");
    assertEquals(0, pool.exitCode(), pool.err());
    Run sel = run("select", "--input", f("pool"), "--output", f("sel"), "--algorithm", "dopt", "--budget", "3");
    assertEquals(0, sel.exitCode(), sel.err());
    write("phi-pool.jsonl", "{\"id\":1,\"phi\":[1.0,0.0],\"s\":1}", "{\"id\":2,\"phi\":[0.0,1.0],\"s\":0}");
    Run other = run("select", "--input", f("phi-pool.jsonl"), "--output", f("other-sel"), "--algorithm", "dopt",
        "--budget", "1");
    assertEquals(0, other.exitCode(), other.err());
    write("short.jsonl", P);

    cases.put("embed: missing input path", new String[] {"embed", "--input", "nope.jsonl", "--output", f("o")});
    embedCase("embed: invalid JSON", "bad-json.jsonl");
    embedCase("embed: record not a JSON object", "not-object.jsonl");
    embedCase("embed: missing field", "missing-field.jsonl");
    embedCase("embed: empty field", "empty-field.jsonl");
    embedCase("embed: field not a string", "not-string.jsonl");
    embedCase("embed: dialogue without an assistant turn", "no-turn.jsonl");
    embedCase("embed: first record fits no layout", "no-layout.jsonl");
    embedCase("embed: chat side without an assistant message", "chat-no-assistant.jsonl");
    embedCase("embed: chat message without content", "chat-no-content.jsonl");
    embedCase("embed: chat response empty", "chat-empty.jsonl");
    embedCase("embed: chat side not a list", "chat-not-list.jsonl");
    embedCase("embed: pairwise preference out of range", "pair-range.jsonl");
    embedCase("embed: pairwise preference not a number", "pair-text.jsonl");
    embedCase("embed: pairwise preference missing", "pair-missing.jsonl", "--format", "pairwise");
    embedCase("embed: only ties", "all-ties.jsonl");
    embedCase("embed: duplicate id", "ids.jsonl", "--column", "id=uid");
    embedCase("embed: missing id field", "id-missing.jsonl", "--column", "id=uid");
    embedCase("embed: id of wrong type", "id-type.jsonl", "--column", "id=uid");
    embedCase("embed: missing reference field", "ref.jsonl", "--reference-column", "ref");
    embedCase("embed: reference not a number", "ref-type.jsonl", "--column", "reference=ref");
    embedCase("embed: empty file", "empty.jsonl");
    embedCase("embed: JSON array that does not parse", "broken-array.json");
    embedCase("embed: gzip file without .gz", "packed.jsonl");
    embedCase("embed: unknown layout", "good.jsonl", "--format", "quad");
    embedCase("embed: unknown role", "good.jsonl", "--column", "answer=out");
    embedCase("embed: role without a field name", "good.jsonl", "--column", "prompt");
    embedCase("embed: role named twice", "good.jsonl", "--column", "prompt=a", "--column", "prompt=b");
    exportCase("export: selection not found", f("nope"));
    exportCase("export: no text in the selection and no --input", f("sel"));
    exportCase("export: selection of a pool not written by embed", f("other-sel"));
    exportCase("export: selected id not in --input", f("sel"), "--input", f("short.jsonl"));
    exportCase("export: --format without --input", f("sel"), "--format", "triple");
    cases.put("export: output inside the selection", new String[] {"embed", "export", "--selection", f("sel"),
        "--output", f("sel") + "/train.jsonl"});
  }

  /** The embed rows of the catalogue: | case | `first line` | exit code |. */
  static Map<String, Documented> readCatalogue(Path doc) throws Exception {
    Map<String, Documented> m = new LinkedHashMap<>();
    Pattern row = Pattern.compile("^\\|\\s*(.+?)\\s*\\|\\s*`(.*)`\\s*\\|\\s*(\\d)\\s*\\|\\s*$");
    for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
      Matcher mm = row.matcher(line);
      if (mm.matches() && m.put(mm.group(1), new Documented(Integer.parseInt(mm.group(3)),
          mm.group(2).replace("\\|", "|"))) != null) {
        fail("docs/errors.md lists case '" + mm.group(1) + "' twice");
      }
    }
    assertFalse(m.isEmpty(), "no embed rows in " + doc);
    return m;
  }

  static boolean matches(String documented, String line) {
    StringBuilder re = new StringBuilder();
    for (String part : documented.split("…", -1)) {
      if (re.length() > 0 || documented.startsWith("…")) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(line).matches();
  }

  @Test
  void everyDocumentedCaseIsRunAndEveryCaseIsDocumented() {
    assertEquals(new TreeSet<>(documented.keySet()), new TreeSet<>(cases.keySet()));
  }

  static Stream<String> names() {
    return cases.keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void catalogue(String name) throws Exception {
    String[] args = cases.get(name);
    Run r = run(args);
    String first = r.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
    System.out.println("catalogue | " + name + " | `" + first + "` | " + r.exitCode() + " |");
    Documented doc = documented.get(name);
    assertNotNull(doc, "docs/errors.md has no row for '" + name + "'");
    String context = String.join(" ", args) + "\n" + r.out() + r.err();
    assertEquals(doc.exitCode(), r.exitCode(), context);
    assertTrue(matches(doc.message(), first), "expected '" + doc.message() + "', got '" + first + "'");
    assertFalse(r.err().contains("\tat "), "no stack trace for a user error: " + context);
    assertFalse((r.out() + r.err()).contains(SECRET), "row text printed: " + context);
    String output = args[java.util.Arrays.asList(args).indexOf("--output") + 1];
    assertFalse(Files.exists(Path.of(output)), "nothing written: " + context);
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary file left");
    }
  }
}
