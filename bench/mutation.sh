#!/usr/bin/env bash
# Mutation testing with PIT (pom profile 'mutation'): mutates the classes of the pure math and
# selection packages (model, design, select) and runs their unit tests only (no Spark tests), one
# thread. Writes target/pit-reports/ (mutations.xml, index.html) and bench/mutation-survivors.md
# (every surviving or uncovered mutant); the last line printed is
#   mutation score: K of M killed (P %)
# where killed counts PIT's KILLED and TIMED_OUT. The `why` cell of a mutant already listed in the
# survivors file is kept when the file is rewritten (matched by class, method, mutation and line, or
# without the line when that is unambiguous). CPU-heavy; not part of bin/test.
#
# Usage: bench/mutation.sh [CLASS_GLOBS [TEST_GLOBS]]   (comma-separated, e.g. 'org.adpo.model.Logistic*'
#        'org.adpo.model.LogisticTest' to try it on one class; then the survivors file is not rewritten)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CLASSES="${1:-org.adpo.model.*,org.adpo.design.*,org.adpo.select.*}"
TESTS="${2:-org.adpo.model.*Test,org.adpo.design.*Test,org.adpo.select.*Test}"
LOG="$(mktemp)"
if ! mvn -B -Pmutation test-compile org.pitest:pitest-maven:1.30.2:mutationCoverage \
    -DtargetClasses="$CLASSES" -DtargetTests="$TESTS" >"$LOG" 2>&1; then
  tail -n 60 "$LOG" >&2
  rm -f "$LOG"
  echo "bench/mutation.sh: PIT failed (output above)" >&2
  exit 1
fi
rm -f "$LOG"
SURVIVORS=""
if [ $# -eq 0 ]; then
  SURVIVORS="bench/mutation-survivors.md"
fi
python3 - "$ROOT/target/pit-reports/mutations.xml" "$SURVIVORS" "$CLASSES" "$TESTS" <<'EOF'
import sys
import xml.etree.ElementTree as ET

path, survivors, classes, tests = sys.argv[1:5]
muts = ET.parse(path).getroot().findall("mutation")
status = {}
for m in muts:
    status[m.get("status")] = status.get(m.get("status"), 0) + 1
killed = status.get("KILLED", 0) + status.get("TIMED_OUT", 0)
total = len(muts)
left = [m for m in muts if m.get("status") not in ("KILLED", "TIMED_OUT")]
print("statuses: " + ", ".join("%s %d" % kv for kv in sorted(status.items())))
if survivors:
    # Keep the hand-written `why` of a mutant already listed: the key is (class, method, mutation,
    # line), and when the line moved (code above it changed) (class, method, mutation) if that is unique
    # among both the old rows and the new ones.
    import collections, os
    old_exact, old_loose = {}, collections.defaultdict(list)
    if os.path.exists(survivors):
        with open(survivors, encoding="utf-8") as f:
            for line in f:
                cells = [c.strip() for c in line.strip().split("|")]
                if len(cells) < 8 or not cells[2].isdigit():
                    continue
                cls, ln, meth, _st, desc = cells[1:6]
                why = "|".join(cells[6:-1]).strip()  # a why may itself hold a '|'
                if cls.startswith("---") or cls == "class":
                    continue
                if why:
                    old_exact[(cls, ln, meth, desc)] = why
                    old_loose[(cls, meth, desc)].append(why)
    new_loose = collections.Counter()
    for m in left:
        new_loose[(m.findtext("mutatedClass").replace("org.adpo.", ""), m.findtext("mutatedMethod"),
                   m.findtext("description"))] += 1

    def why_of(cls, line, meth, desc):
        w = old_exact.get((cls, str(line), meth, desc))
        if w is None and len(old_loose.get((cls, meth, desc), [])) == 1 and new_loose[(cls, meth, desc)] == 1:
            w = old_loose[(cls, meth, desc)][0]
        return w or ""

    rows = []
    for m in left:
        rows.append((m.findtext("mutatedClass"), int(m.findtext("lineNumber")), m.findtext("mutatedMethod"),
                     m.get("status"), m.findtext("description")))
    rows.sort()
    with open(survivors, "w", encoding="utf-8") as f:
        f.write("# Mutants that no unit test kills\n\n")
        f.write("Written by `bench/mutation.sh` (PIT 1.30.2, default mutators) over `%s` with the tests `%s`.\n"
                "Score: %d of %d killed (%.1f %%). `why` is filled in by hand: *equivalent* (the mutant computes\n"
                "the same results), or the test that should be added; an empty cell is not analysed yet.\n\n"
                % (classes, tests, killed, total, 100.0 * killed / max(total, 1)))
        f.write("| class | line | method | status | mutation | why |\n|---|---|---|---|---|---|\n")
        for c, line, meth, st, desc in rows:
            cls = c.replace("org.adpo.", "")
            f.write("| %s | %d | %s | %s | %s | %s |\n" % (cls, line, meth, st, desc, why_of(cls, line, meth, desc)))
    print("wrote %s: %d mutants left" % (survivors, len(rows)))
print("mutation score: %d of %d killed (%.1f %%)" % (killed, total, 100.0 * killed / max(total, 1)))
EOF
