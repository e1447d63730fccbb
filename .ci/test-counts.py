#!/usr/bin/env python3
"""Guards against tests that silently stop running.

.ci/test-counts lists, for every line of bin/test, every test class the line must run and the least
number of tests it must report for it: one per test method in the sources, and for a parameterised
method whose arguments are literals in its annotation (@ValueSource, @CsvSource with a value list)
one per invocation; other parameterised methods (@MethodSource and the rest) count once, their
invocations only add. After a Maven line, `check LINE` reads the Surefire and
Failsafe XML reports of that line and fails, naming the class, when a listed class ran fewer tests
than listed (renamed, mis-tagged, filtered out, or a method lost); skipped tests do not count as run.

  .ci/test-counts.py update        rewrite .ci/test-counts from the test sources (review the diff)
  .ci/test-counts.py check LINE    compare LINE's reports with .ci/test-counts (exit 1 on a shortfall)
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTS = os.path.join(ROOT, ".ci", "test-counts")

# The lines of bin/test: module directory, test source roots, JUnit tags the line excludes (the
# pom's test.excludedGroups), and whether its Failsafe integration tests run.
LINES = {
    "spark-3.5": ("", ["src/test/java", "src/test-stb/java"], set(), True),
    "embed-3.5": ("embed", ["embed/src/test/java"], set(), True),
    "spark-4.0": ("", ["src/test/java"], {"spark-testing-base", "default-line-only"}, True),
    # Its end-to-end tests run on the 3.5 line only (bin/test passes -DskipITs): none are expected.
    "embed-4.0": ("embed", ["embed/src/test/java"], {"spark-testing-base", "default-line-only"}, False),
}

TAG_CONSTANTS = {"DefaultLineOnly.TAG": "default-line-only"}
TEST_ANNOTATION = re.compile(r"^\s*@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\b")
TAG_ANNOTATION = re.compile(r"^\s*@Tag\(\s*([^)]*?)\s*\)")
CLASS_DECL = re.compile(r"^\s*(public\s+|final\s+|abstract\s+)*class\s+(\w+)")
SUREFIRE = re.compile(r"(^Test\w*|\w*Test|\w*Tests|\w*TestCase)\.java$")
FAILSAFE = re.compile(r"(^IT\w*|\w*IT|\w*ITCase)\.java$")


def tag_value(expr):
    expr = expr.strip()
    if expr.startswith('"'):
        return expr.strip('"')
    return TAG_CONSTANTS.get(expr, expr)


STRING_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
SOURCE_ANNOTATION = re.compile(r"@(\w+Source|\w+Sources)\b")


def literal_invocations(annotations):
    """Invocations of a @ParameterizedTest given its annotations' text, when its arguments are
    literals in a single @ValueSource or @CsvSource value list; None when not computable here."""
    sources = SOURCE_ANNOTATION.findall(annotations)
    if len(sources) != 1 or sources[0] not in ("ValueSource", "CsvSource"):
        return None
    text = annotations[annotations.index("@" + sources[0]):]
    text = "".join(l for l in text.splitlines(True) if not l.lstrip().startswith("//"))
    if '"""' in text or "textBlock" in text:
        return None
    body = STRING_LITERAL.sub('"s"', text)  # no braces, commas or quotes inside literals any more
    if sources[0] == "CsvSource":
        m = re.match(r"@CsvSource\(\s*(?:value\s*=\s*)?\{([^}]*)\}", body) or \
            re.search(r"\bvalue\s*=\s*\{([^}]*)\}", body)
        if not m:
            m = re.match(r"@CsvSource\(\s*(?:value\s*=\s*)?(\"s\")\s*[,)]", body)
        return len(re.findall(r'"s"', m.group(1))) if m else None
    m = re.match(r"@ValueSource\(\s*(\w+)\s*=\s*(\{[^}]*\}|[^,)]+)\s*\)", body)
    if not m:
        return None
    values = m.group(2).strip()
    if values.startswith("{"):
        items = [v for v in values[1:-1].split(",") if v.strip()]
        return len(items)
    return 1


def count_methods(path, excluded):
    """Tests of one source file that run when `excluded` tags are excluded (0 if the class is): one
    per test method, or per invocation for a parameterised method with literal arguments."""
    pending_tags = []
    class_seen = False
    count = 0
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    pending_test = False
    parameterised = False
    annotations = ""
    for line in lines:
        if pending_test:
            annotations += line
        m = TAG_ANNOTATION.match(line)
        if m:
            pending_tags.append(tag_value(m.group(1)))
            continue
        if not class_seen and CLASS_DECL.match(line):
            class_seen = True
            if excluded & set(pending_tags):
                return 0
            pending_tags = []
            continue
        m = TEST_ANNOTATION.match(line)
        if m:
            pending_test = True
            parameterised = m.group(1) == "ParameterizedTest"
            annotations = line
            continue
        if re.match(r"^\s*@", line):
            continue
        if pending_test and re.search(r"\bvoid\s+\w+\s*\(", line):
            if not excluded & set(pending_tags):
                n = literal_invocations(annotations) if parameterised else None
                count += n if n else 1
            pending_test = False
            pending_tags = []
        elif line.strip() and not pending_test:
            pending_tags = []
    return count


def expected_from_sources():
    rows = []
    for line, (_, roots, excluded, its) in LINES.items():
        for root in roots:
            for path in sorted(glob.glob(os.path.join(ROOT, root, "**", "*.java"), recursive=True)):
                name = os.path.basename(path)
                kind = "failsafe" if FAILSAFE.search(name) else "surefire" if SUREFIRE.search(name) else None
                if kind is None or (kind == "failsafe" and not its):
                    continue
                n = count_methods(path, excluded)
                if n > 0:
                    cls = os.path.relpath(path, os.path.join(ROOT, root))[:-5].replace(os.sep, ".")
                    rows.append((line, kind, cls, n))
    return rows


def update():
    rows = expected_from_sources()
    with open(COUNTS, "w", encoding="utf-8") as f:
        f.write("# Test classes each line of bin/test must run, and the least number of tests each must report\n"
                "# (one per test method; per invocation for a parameterised method with literal arguments,\n"
                "# @ValueSource or @CsvSource). Checked by .ci/test-counts.py check LINE after the line's Maven run;\n"
                "# regenerate with .ci/test-counts.py update when tests are added, renamed or re-tagged.\n"
                "# The embed-4.0 line runs no integration tests (its end-to-end tests run on 3.5 only).\n"
                "# line kind class minimum\n")
        for r in rows:
            f.write("%s %s %s %d\n" % r)
    print("wrote %s: %d classes" % (os.path.relpath(COUNTS, ROOT), len(rows)))


def reported(report_dir):
    """Tests run (not skipped) per class, from the TEST-*.xml files of one report directory."""
    ran = {}
    for path in glob.glob(os.path.join(report_dir, "TEST-*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            if case.find("skipped") is not None:
                continue
            cls = case.get("classname", "")
            ran[cls] = ran.get(cls, 0) + 1
    return ran


def check(line):
    if line not in LINES:
        sys.exit("test-counts: unknown line %r; lines: %s" % (line, ", ".join(LINES)))
    module, _, _, its = LINES[line]
    expected = {}
    with open(COUNTS, encoding="utf-8") as f:
        for raw in f:
            parts = raw.split()
            if not parts or parts[0].startswith("#"):
                continue
            if parts[0] == line:
                expected.setdefault(parts[1], {})[parts[2]] = int(parts[3])
    problems = []
    totals = []
    for kind in ("surefire", "failsafe"):
        ran = reported(os.path.join(ROOT, module, "target", kind + "-reports"))
        want = expected.get(kind, {})
        if kind == "failsafe" and not its:
            if ran:
                problems.append("%d integration tests ran, but this line is listed as running none" % sum(ran.values()))
            totals.append("%s: none, as listed" % kind)
            continue
        for cls, n in sorted(want.items()):
            got = ran.get(cls, 0)
            if got < n:
                problems.append("%s: %s ran %d tests, expected at least %d" % (kind, cls, got, n))
        for cls in sorted(set(ran) - set(want)):
            print("test-counts: note: %s %s ran %d tests but is not listed in .ci/test-counts (run "
                  ".ci/test-counts.py update)" % (kind, cls, ran[cls]))
        totals.append("%s: %d tests in %d classes (listed minimum %d in %d classes)"
                      % (kind, sum(ran.values()), len(ran), sum(want.values()), len(want)))
    print("test-counts [%s] %s" % (line, "; ".join(totals)))
    if problems:
        for p in problems:
            print("test-counts [%s] FAIL %s" % (line, p), file=sys.stderr)
        sys.exit("test-counts [%s]: %d shortfalls against .ci/test-counts; a test class or method stopped running"
                 " (or, if that was intended, run .ci/test-counts.py update and commit the change)"
                 % (line, len(problems)))


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "update":
        update()
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        sys.exit(__doc__)
