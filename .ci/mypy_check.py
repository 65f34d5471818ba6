"""Run mypy on ducha/ and compare its errors with the committed baseline (.ci/mypy-baseline.txt).

An error is kept as `path: error-code: message` without its line number, so moving code does not
change it; the baseline is a multiset (a line appears once per occurrence). New errors fail the
check; fixed ones only ask for the baseline to be shrunk with `--update`.

    .venv/bin/python .ci/mypy_check.py            # check
    .venv/bin/python .ci/mypy_check.py --update   # rewrite the baseline (after fixing errors only)
"""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / ".ci" / "mypy-baseline.txt"
HEADER = "# mypy errors accepted in ducha/, as path: code: message; shrink only (mypy_check.py --update)\n"
ERROR = re.compile(r"^(?P<path>[^:]+)(?::\d+){0,2}: error: (?P<message>.*?)(?:  \[(?P<code>[\w-]+)\])?$")


def normalise(line: str) -> str | None:
    match = ERROR.match(line)
    if not match:
        return None
    message = re.sub(r"\bline \d+", "line N", match["message"])  # "already defined on line 12"
    return f"{match['path']}: {match['code'] or 'misc'}: {message}"


def main() -> int:
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "ducha/"], cwd=ROOT, capture_output=True, encoding="utf-8"
    )
    lines = mypy.stdout.splitlines()
    current = Counter(key for key in map(normalise, lines) if key)
    if mypy.returncode not in (0, 1) or (mypy.returncode == 1 and not current):  # mypy itself failed
        print(mypy.stdout + mypy.stderr)
        return 2
    if "--update" in sys.argv[1:]:
        BASELINE.write_text(HEADER + "".join(f"{key}\n" for key in sorted(current.elements())), "utf-8")
        print(f"mypy baseline rewritten: {current.total()} errors")
        return 0
    baseline = Counter(
        line for line in BASELINE.read_text("utf-8").splitlines() if line and not line.startswith("#")
    )
    new, fixed = current - baseline, baseline - current
    if new:
        print(f"mypy: {new.total()} new error(s) not in {BASELINE.relative_to(ROOT)}:")
        print("\n".join(line for line in lines if normalise(line) in new))
        return 1
    if fixed:
        print(f"mypy: {fixed.total()} baseline error(s) fixed; shrink the baseline with --update:")
        print("\n".join(f"  {key}" for key in sorted(fixed.elements())))
    print(f"mypy: no new errors ({current.total()} known errors remain)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
