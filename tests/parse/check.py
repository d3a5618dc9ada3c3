#!/usr/bin/python3
"""Runs `feedspool parse` on one fixture and compares with what is expected.

A fixture is tests/parse/NAME.<ext> (the document) with:
  NAME.expected  the JSON Lines stdout must hold (compared as JSON values);
                 on failure, the items read before it (else no output)
  NAME.args      optional: extra arguments, one per line (--base, --charset)
  NAME.status    optional: the expected exit status (default 0)
  NAME.stderr    optional: lines that must each appear in stderr

The document is also parsed in chunks of 1, 7 and 4096 bytes: the output
must not depend on how the bytes reach libxml2.
"""
import difflib
import json
import os
import subprocess
import sys


def run(binary, doc, args, chunk=None):
    cmd = [binary, "parse"] + args
    if chunk is not None:
        cmd += ["--chunk-size", str(chunk)]
    cmd.append(doc)
    p = subprocess.run(cmd, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8",
                                                                    "replace")


def lines_as_json(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def pretty(values):
    return json.dumps(values, indent=1, ensure_ascii=False,
                      sort_keys=False).splitlines()


def main():
    binary, doc = sys.argv[1], sys.argv[2]
    stem = os.path.splitext(doc)[0]
    args = []
    if os.path.exists(stem + ".args"):
        args = [a for a in open(stem + ".args").read().splitlines() if a]
    want_status = 0
    if os.path.exists(stem + ".status"):
        want_status = int(open(stem + ".status").read().strip())

    status, out, err = run(binary, doc, args)
    ok = True
    if status != want_status:
        print(f"exit status {status}, expected {want_status}\n{err}")
        ok = False
    if os.path.exists(stem + ".stderr"):
        for needle in open(stem + ".stderr").read().splitlines():
            if needle and needle not in err:
                print(f"stderr lacks {needle!r}; stderr was:\n{err}")
                ok = False
    if want_status == 0 or os.path.exists(stem + ".expected"):
        got = lines_as_json(out)
        want = lines_as_json(open(stem + ".expected").read())
        if got != want:
            print("\n".join(difflib.unified_diff(
                pretty(want), pretty(got), "expected", "got", lineterm="")))
            ok = False
    elif out.strip():
        print(f"no output expected on failure, got:\n{out}")
        ok = False
    if want_status == 0:
        for chunk in (1, 7, 4096):
            cstatus, cout, _ = run(binary, doc, args, chunk)
            if cstatus != status or lines_as_json(cout) != got:
                print(f"output differs when fed in chunks of {chunk}")
                ok = False
    elif len(err.strip().splitlines()) != 1:
        print(f"one line on stderr expected on failure, got:\n{err}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
