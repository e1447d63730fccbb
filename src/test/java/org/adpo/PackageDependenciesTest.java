package org.adpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of src/main/java depend on each other without cycles (docs/architecture.md, "Packages",
 * names the direction), and the pure math packages import no Spark. Read from the sources: every
 * {@code org.adpo.PACKAGE.Type} outside comments and string literals (imports and qualified names) is a
 * dependency of the file's package; a class named in a string (loaded by reflection) is not.
 */
class PackageDependenciesTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.adpo\\.((?:[a-z][a-z0-9]*\\.)*[a-z][a-z0-9]*)\\.[A-Z]");
  private static final Set<String> PURE_MATH = Set.of("org.adpo.model", "org.adpo.design", "org.adpo.select");

  @Test
  void noCycleBetweenPackages() throws IOException {
    Map<String, Map<String, Set<String>>> deps = dependencies();
    assertTrue(deps.size() > 10, "read the packages of " + SOURCES.toAbsolutePath() + ": " + deps.keySet());
    List<String> cycles = new ArrayList<>();
    for (List<String> component : stronglyConnected(deps)) {
      if (component.size() > 1) {
        cycles.add(describe(component, deps));
      }
    }
    assertEquals(List.of(), cycles, "package cycles (package -> package: the files that make the edge)");
  }

  @Test
  void pureMathPackagesImportNoSpark() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path f : javaFiles()) {
      String pkg = packageOf(f);
      if (PURE_MATH.contains(pkg) && code(f).contains("org.apache.spark")) {
        found.add(SOURCES.relativize(f).toString());
      }
    }
    assertEquals(List.of(), found, "files of " + PURE_MATH + " that use Spark");
  }

  /** The stripper this test relies on: a reference in a comment or a string is no dependency. */
  @Test
  void commentsAndStringsAreNoDependencies() {
    String src = "import org.adpo.a.X; // org.adpo.b.Y\n/* org.adpo.c.Z */ String s = \"org.adpo.d.W\\\"\";"
        + " char q = '\"'; Object o = org.adpo.e.V.of(); String t = \"\"\"\n org.adpo.f.U\n\"\"\";";
    assertEquals(Set.of("org.adpo.a", "org.adpo.e"), referenced(strip(src)));
  }

  /** package -> package it uses -> the files of the first that use the second. */
  private static Map<String, Map<String, Set<String>>> dependencies() throws IOException {
    Map<String, Map<String, Set<String>>> deps = new TreeMap<>();
    for (Path f : javaFiles()) {
      String pkg = packageOf(f);
      Map<String, Set<String>> out = deps.computeIfAbsent(pkg, k -> new TreeMap<>());
      for (String used : referenced(code(f))) {
        if (!used.equals(pkg)) {
          out.computeIfAbsent(used, k -> new TreeSet<>()).add(f.getFileName().toString());
        }
      }
    }
    return deps;
  }

  private static List<Path> javaFiles() throws IOException {
    assertTrue(Files.isDirectory(SOURCES), SOURCES.toAbsolutePath() + " (run from the module's directory)");
    try (Stream<Path> s = Files.walk(SOURCES)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static String packageOf(Path file) {
    return SOURCES.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
  }

  private static String code(Path file) throws IOException {
    return strip(Files.readString(file, StandardCharsets.UTF_8));
  }

  private static Set<String> referenced(String code) {
    Set<String> packages = new TreeSet<>();
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      packages.add("org.adpo." + m.group(1));
    }
    return packages;
  }

  /** The source with comments, string literals (text blocks included) and char literals blanked. */
  static String strip(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (s.startsWith("//", i)) {
        int end = s.indexOf('\n', i);
        i = end < 0 ? s.length() : end;
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? s.length() : end + 2;
        out.append(' ');
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        i = end < 0 ? s.length() : end + 3;
        out.append("\"\"");
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != c) {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        i = j + 1;
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Tarjan's strongly connected components of the package graph. */
  private static List<List<String>> stronglyConnected(Map<String, Map<String, Set<String>>> deps) {
    Map<String, Integer> index = new TreeMap<>();
    Map<String, Integer> low = new TreeMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> components = new ArrayList<>();
    for (String v : deps.keySet()) {
      if (!index.containsKey(v)) {
        visit(v, deps, index, low, stack, onStack, components);
      }
    }
    return components;
  }

  private static void visit(String v, Map<String, Map<String, Set<String>>> deps, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> components) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : deps.getOrDefault(v, Map.of()).keySet()) {
      if (!index.containsKey(w)) {
        visit(w, deps, index, low, stack, onStack, components);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      components.add(component);
    }
  }

  /** The edges inside one cycle, each with the files that make it. */
  private static String describe(List<String> component, Map<String, Map<String, Set<String>>> deps) {
    StringBuilder s = new StringBuilder("cycle among " + new TreeSet<>(component) + ":");
    for (String a : new TreeSet<>(component)) {
      for (Map.Entry<String, Set<String>> e : deps.getOrDefault(a, Map.of()).entrySet()) {
        if (component.contains(e.getKey())) {
          s.append(' ').append(a).append(" -> ").append(e.getKey()).append(' ').append(e.getValue()).append(';');
        }
      }
    }
    return s.toString();
  }
}
