#!/usr/bin/python3
"""The manuals render without a warning and say what the code has.

    check-man.py SOURCE_DIR feedspool.8 feedspool.ini.5

- `man --warnings -l PAGE` prints nothing on stderr and exits 0;
- every key in config/keys.c's table is a bold term of feedspool.ini(5);
- every subcommand in daemon/main.c's table is a bold term of
  feedspool(8), and so is every long option those files accept.
TAP on stdout.
"""
import os
import re
import shutil
import subprocess
import sys

results = []


def tap(ok, name, detail=""):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name))
    if not ok and detail:
        for line in detail.rstrip().splitlines():
            print("#   " + line)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def rendered(page):
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    p = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page],
                       capture_output=True, text=True, env=env)
    return p


def bold_terms(page_source):
    """Words the roff source sets in bold (\\fB...\\fR)."""
    return set(re.findall(r"\\fB([^\\]+)\\f[RP]", page_source))


def main():
    src, man8, man5 = sys.argv[1], sys.argv[2], sys.argv[3]
    if shutil.which("man") is None:
        print("1..0 # SKIP no man here")
        return 0
    for page in (man8, man5):
        p = rendered(page)
        tap(p.returncode == 0 and p.stderr.strip() == "" and
            len(p.stdout) > 1000, "%s renders without warnings"
            % os.path.basename(page), p.stderr)

    keys = re.findall(r'\[K_[A-Z_]+\]\s*=\s*\{\s*"([a-z_]+)"',
                      read(os.path.join(src, "config", "keys.c")))
    terms5 = bold_terms(read(man5))
    missing = [k for k in keys if k not in terms5]
    tap(len(keys) > 20 and not missing, "feedspool.ini(5) has all %d keys"
        % len(keys), "missing: %s" % ", ".join(missing))

    main_c = read(os.path.join(src, "daemon", "main.c"))
    commands = re.findall(r'\{\s*"([a-z-]+)",\s*cmd_', main_c)
    terms8 = bold_terms(read(man8))
    missing = [c for c in commands if c not in terms8]
    tap(len(commands) >= 7 and not missing, "feedspool(8) has all %d "
        "commands" % len(commands), "missing: %s" % ", ".join(missing))

    options = set()
    for name in ("cmd_daemon.c", "cmd_status.c", "cmd_parse.c",
                 "cmd_opml.c"):
        path = os.path.join(src, "daemon", name)
        if os.path.exists(path):
            options |= set(re.findall(r'\{\s*"([a-z][a-z-]+)",\s*'
                                      r'(?:no|required|optional)_argument',
                                      read(path)))
    flat8 = read(man8).replace("\\-", "-")
    missing = sorted(o for o in options if "--" + o not in flat8)
    tap(options and not missing, "feedspool(8) names all %d long options"
        % len(options), "missing: %s" % ", ".join(missing))
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
