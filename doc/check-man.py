#!/usr/bin/python3
"""The manuals render without a warning and keep up with the code.

    check-man.py SOURCE_DIR feedspool.8 feedspool.ini.5

Prints TAP.  Each built page must render with
`LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l PAGE` with nothing
on stderr and exit status 0.  Then the pages are compared with the code:

feedspool.ini(5), against config/keys.c:
  - every key of the table is a term ("\\fBkey\\fR = ..." before .RS)
    exactly once, and the KEYS section has no term that is not a key;
  - the subsection a key is in names [feedspool] if and only if the key is
    allowed there, and [feed.NAME] likewise;
  - the term names the key's value type, and for numbers, durations,
    sizes, booleans and enums its default, and its range ("LO to HI").
feedspool(8), against daemon/:
  - the commands of daemon/main.c are the terms of COMMANDS, no more and
    no fewer, and each has a "feedspool COMMAND" line in SYNOPSIS;
  - every long option of a getopt table in daemon/*.c (and --version,
    --help of main.c) is named in a term of OPTIONS;
  - the exit statuses the commands return (commands.h's EXIT_* and the
    literal ones) are the terms of EXIT STATUS, no more and no fewer;
  - every field daemon/deliver.c adds to a spool article is a term of
    THE SPOOL.
"""
import os
import re
import shutil
import subprocess
import sys

results = []


def tap(ok, name, detail=""):
    results.append(bool(ok))
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name))
    if not ok and detail:
        for line in detail.rstrip().splitlines():
            print("#   " + line)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def plain(roff):
    """A roff line as text: font changes and escapes removed."""
    s = re.sub(r"\\f[BIRP]", "", roff)
    s = s.replace("\\&", "").replace("\\-", "-").replace("\\e", "\\")
    return s.strip()


def sections(roff):
    """[(level, heading, [lines])] for every .SH and .SS of a page."""
    out = [("", "", [])]
    for line in roff.splitlines():
        m = re.match(r'\.(SH|SS)\s+"?(.*?)"?\s*$', line)
        if m:
            out.append((m.group(1), plain(m.group(2)), []))
        else:
            out[-1][2].append(line)
    return out


def terms(lines):
    """The terms of definition lists: a line that starts in bold and
    is followed by the indented body (.RS)."""
    return [line for line, nxt in zip(lines, lines[1:] + [""])
            if line.startswith("\\fB") and nxt.startswith(".RS")]


def term_name(line):
    m = re.match(r"\\fB(.*?)\\f[RP]", line)
    return plain(m.group(1)) if m else None


def section_lines(secs, heading):
    """The lines of .SH heading, its .SS subsections included."""
    lines, inside = [], False
    for level, h, body in secs:
        if level == "SH":
            inside = h == heading
        if inside:
            lines += body
    return lines


# --- values as config/values.c reads them ---------------------------------

def duration(s):
    if s == "0":
        return 0
    m = re.fullmatch(r"(\d+)([smhd])", s)
    if not m:
        return None
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600,
                              "d": 86400}[m.group(2)]


def size(s):
    m = re.fullmatch(r"(\d+)([KMGkmg]?)", s)
    if not m:
        return None
    return int(m.group(1)) << {"": 0, "k": 10, "m": 20,
                               "g": 30}[m.group(2).lower()]


def number(s):
    return int(s) if re.fullmatch(r"\d+", s) else None


# --- config/keys.c ----------------------------------------------------------

def c_number(expr, defines):
    """Evaluates a constant like `7 * DAY` or `512 * MIB`."""
    for _ in range(5):
        expr = re.sub(r"UINT64_C\((\w+)\)", r"(\1)", expr)
        expr = re.sub(r"\b([A-Z_][A-Z0-9_]*)\b",
                      lambda m: "(%s)" % defines[m.group(1)]
                      if m.group(1) in defines else m.group(1), expr)
    if not re.fullmatch(r"[\d\s()*+<|-]+", expr):
        raise ValueError("cannot evaluate %r" % expr)
    return eval(expr, {"__builtins__": {}})  # digits and operators only


def enum_values(header):
    """{"CFG_LOG_INFO": 2, ...} from the enums of config/config.h."""
    values = {}
    for body in re.findall(r"enum\s+\w+\s*\{(.*?)\}", header, re.S):
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        n = -1
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, val = item.partition("=")
            n = int(val, 0) if val.strip() else n + 1
            values[name.strip()] = n
    return values


def load_keys(src):
    keys_c = read(os.path.join(src, "config", "keys.c"))
    config_h = read(os.path.join(src, "config", "config.h"))
    defines = dict(re.findall(r"#define\s+([A-Z_][A-Z0-9_]*)\s+(.+)",
                              keys_c))
    enums = enum_values(config_h)
    arrays = {name: re.findall(r'"([^"]*)"', body) for name, body in
              re.findall(r"static const char \*const (\w+)\[\]\s*=\s*"
                         r"\{(.*?)\};", keys_c, re.S)}
    table = re.search(r"cfg_keys\[K__COUNT\]\s*=\s*\{(.*?)\n\};", keys_c,
                      re.S).group(1)
    table = re.sub(r"/\*.*?\*/", "", table, flags=re.S)
    keys = []
    for m in re.finditer(r"\[K_\w+\]\s*=\s*\{(.*?)\}\s*,", table, re.S):
        f = [x.strip() for x in m.group(1).split(",")]
        name = f[0].strip('"')
        typ, where = f[1], f[2]
        k = {"name": name, "type": typ,
             "global": "W_GLOBAL" in where, "feed": "W_FEED" in where,
             "min": c_number(f[3], defines), "max": c_number(f[4], defines)}
        if re.fullmatch(r"[A-Z_][A-Z0-9_]*", f[5]) and f[5] in enums:
            k["def"] = enums[f[5]]
        else:
            k["def"] = c_number(f[5], defines)
        k["names"] = {"T_LOG_LEVEL": arrays.get("log_levels"),
                      "T_UPDATES": arrays.get("updates_modes")}.get(typ)
        keys.append(k)
    return keys


TYPE_WORD = {
    "T_INCLUDE": "pattern", "T_PATH": "path", "T_DURATION": "duration",
    "T_SIZE": "size", "T_UINT": "number", "T_BOOL": "boolean",
    "T_TEXT": "text", "T_ASCII": "ASCII", "T_URL": "URL",
    "T_WEB_URL": "URL", "T_PROXY": "URL", "T_HEADER": "Name: value",
}
PARSE = {"T_DURATION": duration, "T_SIZE": size, "T_UINT": number}


def check_key_term(k, text):
    """What is wrong with the term line of key k (plain text), or None."""
    value = text[len(k["name"]):].strip()
    if not value.startswith("= "):
        return 'no "= TYPE" after the name'
    value = value[2:]
    if k["names"] is not None:
        want = "|".join(k["names"])
    else:
        want = TYPE_WORD.get(k["type"])
    if want is None:
        return "unknown type %s (teach check-man.py)" % k["type"]
    if not value.startswith(want):
        return "the type should read %r" % want
    m = re.search(r"\bdefault ([^;)]+)", value)
    given = m.group(1).strip() if m else None
    if k["type"] in PARSE:
        parse = PARSE[k["type"]]
        if given is None or parse(given) != k["def"]:
            return "the default should be %s, not %r" % (k["def"], given)
        m = re.search(r"\b(\S+) to (\S+?)[;)]", value)
        if not m or (parse(m.group(1)), parse(m.group(2))) != \
                (k["min"], k["max"]):
            return "the range should be %s to %s" % (k["min"], k["max"])
    elif k["type"] == "T_BOOL":
        if given != ("yes" if k["def"] else "no"):
            return "the default should be %s" % ("yes" if k["def"]
                                                  else "no")
    elif k["names"] is not None:
        if given != k["names"][k["def"]]:
            return "the default should be %s" % k["names"][k["def"]]
    return None


def check_ini5(src, man5):
    keys = load_keys(src)
    secs = sections(read(man5))
    found = {}
    inside = False
    for lv, heading, body in secs:
        if lv == "SH":
            inside = heading == "KEYS"
        if not inside:
            continue
        for line in terms(body):
            name = term_name(line)
            found.setdefault(name, []).append((heading, plain(line)))
    names = [k["name"] for k in keys]
    stray = sorted(n for n in found if n not in names)
    missing = [n for n in names if n not in found]
    twice = [n for n in names if len(found.get(n, [])) > 1]
    tap(len(keys) >= 20 and not missing and not twice and not stray,
        "feedspool.ini(5) documents the %d keys of config/keys.c, once "
        "each" % len(keys),
        "missing: %s\ntwice: %s\nnot keys: %s" % (", ".join(missing),
                                                   ", ".join(twice),
                                                   ", ".join(stray)))
    bad = []
    for k in keys:
        for heading, text in found.get(k["name"], [])[:1]:
            if ("[feedspool]" in heading) != k["global"] or \
               ("[feed.NAME]" in heading) != k["feed"]:
                bad.append("%s: in \"%s\", but allowed in %s" % (
                    k["name"], heading, " and ".join(
                        w for w, ok in (("[feedspool]", k["global"]),
                                        ("[feed.NAME]", k["feed"])) if ok)))
            why = check_key_term(k, text)
            if why:
                bad.append("%s: %s\n  (%s)" % (k["name"], why, text))
    tap(not bad, "feedspool.ini(5): where each key is allowed, its type, "
        "default and range", "\n".join(bad))


# --- daemon/ ----------------------------------------------------------------

def check_man8(src, man8):
    daemon = os.path.join(src, "daemon")
    roff = read(man8)
    secs = sections(roff)

    main_c = read(os.path.join(daemon, "main.c"))
    commands = re.findall(r'\{\s*"([a-z-]+)",\s*cmd_\w+', main_c)
    documented = [term_name(t) for t in
                  terms(section_lines(secs, "COMMANDS"))]
    synopsis = " ".join(plain(x) for x in section_lines(secs, "SYNOPSIS"))
    missing = [c for c in commands if c not in documented]
    stray = [c for c in documented if c not in commands]
    nosyn = [c for c in commands if "feedspool %s" % c not in synopsis]
    tap(len(commands) >= 7 and not missing and not stray and not nosyn,
        "feedspool(8) documents the %d commands of daemon/main.c"
        % len(commands),
        "not in COMMANDS: %s\nnot commands: %s\nnot in SYNOPSIS: %s"
        % (", ".join(missing), ", ".join(stray), ", ".join(nosyn)))

    sources = {}
    for name in sorted(os.listdir(daemon)):
        if name.endswith(".c"):
            sources[name] = read(os.path.join(daemon, name))
    options = set()
    for text in sources.values():
        options |= set("--" + o for o in re.findall(
            r'\{\s*"([a-z][a-z0-9-]*)",\s*(?:no|required|optional)_argument',
            text))
    options |= set(re.findall(r'"(--[a-z][a-z0-9-]*)"', main_c))
    opt_terms = " ".join(plain(t) for t in
                         terms(section_lines(secs, "OPTIONS")))
    named = set(re.findall(r"--[a-z][a-z0-9-]*", opt_terms))
    missing = sorted(options - named)
    tap(len(options) >= 8 and not missing, "feedspool(8) OPTIONS has the "
        "%d long options of daemon/" % len(options),
        "missing: %s" % ", ".join(missing))

    codes = {0}
    codes |= set(int(v) for v in re.findall(
        r"#define\s+EXIT_\w+\s+(\d+)",
        read(os.path.join(daemon, "commands.h"))))
    for name in ["main.c", "log.c"] + [n for n in sources
                                       if n.startswith("cmd_")]:
        codes |= set(int(v) for v in re.findall(
            r"\b(?:return|status =|exit_status =|exit\()\s*(\d+)\s*[;)]",
            sources.get(name, "")))
    documented = set()
    for t in terms(section_lines(secs, "EXIT STATUS")):
        documented |= set(int(v) for v in
                          re.findall(r"\d+", term_name(t) or ""))
    missing = sorted(codes - documented)
    stray = sorted(documented - codes)
    tap(len(codes) >= 8 and not missing and not stray,
        "feedspool(8) EXIT STATUS has the %d exit statuses of daemon/"
        % len(codes), "missing: %s\nnever returned: %s" % (
            " ".join(map(str, missing)), " ".join(map(str, stray))))

    fields = re.findall(r'json_out_string\(&j,\s*"([a-z_]+)"',
                        sources.get("deliver.c", ""))
    spool_terms = set()
    for t in terms(section_lines(secs, "THE SPOOL")):
        spool_terms |= set(x.strip() for x in
                           plain(t).split(","))
    missing = [f for f in fields if f not in spool_terms]
    tap(len(fields) >= 5 and not missing, "feedspool(8) THE SPOOL has the "
        "%d fields daemon/deliver.c adds" % len(fields),
        "missing: %s" % ", ".join(missing))


def render(page):
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    p = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env)
    stderr = p.stderr.decode("utf-8", "replace")
    detail = stderr if stderr.strip() else ""
    if p.returncode != 0:
        detail += "exit status %d\n" % p.returncode
    if len(p.stdout) < 1000:
        detail += "only %d bytes of output\n" % len(p.stdout)
    tap(not detail, "%s renders without warnings"
        % os.path.basename(page), detail)


def main():
    if len(sys.argv) != 4:
        print("usage: check-man.py SOURCE_DIR feedspool.8 feedspool.ini.5",
              file=sys.stderr)
        return 2
    src, man8, man5 = sys.argv[1:]
    if shutil.which("man") is None:
        print("1..0 # SKIP man (man-db) is not installed")
        return 0
    for page in (man8, man5):
        render(page)
    for check, page in ((check_ini5, man5), (check_man8, man8)):
        try:
            check(src, page)
        except (OSError, ValueError, AttributeError, IndexError,
                KeyError) as e:
            tap(False, "%s: reading the code" % check.__name__,
                "%s: %s (the format changed? teach check-man.py)"
                % (type(e).__name__, e))
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
