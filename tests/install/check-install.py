#!/usr/bin/python3
"""`meson install` into a DESTDIR, then the tree it leaves, and the
systemd units checked by systemd-analyze.  TAP on stdout.

    check-install.py BUILD_DIR SOURCE_DIR

1. The tree: the binary in bindir (and it runs), the units in the unit
   directory naming the installed binary and configuration, the
   sysusers.d and tmpfiles.d files, the example configuration in
   SYSCONFDIR/feedspool/ with feeds.d/, the manuals in mandir, and every
   file meson says it installs.
2. A second install keeps an administrator's feedspool.ini as it is.
3. `systemd-analyze verify` says nothing about the units (it exits 0 even
   on unknown keys, so any output fails), and `systemd-analyze security
   --offline=true` rates feedspool.service at 2.0 or lower; the score is
   printed.  Skipped where systemd-analyze is missing.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

results = []


def tap(ok, name, detail=""):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name))
    if detail and not ok:
        for line in detail.rstrip().splitlines():
            print("#   " + line)


def skip(name, why):
    results.append(True)
    print("ok %d - %s # SKIP %s" % (len(results), name, why))


def options(build):
    p = subprocess.run(["meson", "introspect", "--buildoptions", build],
                       capture_output=True, check=True)
    return {o["name"]: o["value"] for o in json.loads(p.stdout)}


def installed(build):
    """{source or built file: absolute install path} as meson plans it."""
    p = subprocess.run(["meson", "introspect", "--installed", build],
                       capture_output=True, check=True)
    return json.loads(p.stdout)


def install(build, destdir):
    return subprocess.run(["meson", "install", "--no-rebuild", "-C", build,
                           "--destdir", destdir], capture_output=True,
                          text=True)


def under(destdir, path):
    return os.path.join(destdir, path.lstrip("/"))


def check_tree(build, source, destdir, opt):
    prefix = opt["prefix"]

    def at(*parts):
        p = os.path.join(prefix, *parts)
        return under(destdir, p)

    exe = at(opt["bindir"], "feedspool")
    ok = os.access(exe, os.X_OK)
    tap(ok, "the binary is in bindir: %s" % exe)
    if ok:
        p = subprocess.run([exe, "--version"], capture_output=True,
                           text=True)
        tap(p.returncode == 0 and p.stdout.startswith("feedspool "),
            "the installed binary runs", p.stdout + p.stderr)

    confdir = os.path.join(prefix, opt["sysconfdir"], "feedspool")
    ini = under(destdir, os.path.join(confdir, "feedspool.ini"))
    with open(os.path.join(source, "config", "feedspool.ini"), "rb") as f:
        example = f.read()
    try:
        with open(ini, "rb") as f:
            got = f.read()
    except OSError as e:
        got = None
        tap(False, "the example configuration is installed", str(e))
    else:
        tap(got == example, "the example configuration is %s" % ini)
    tap(os.path.isdir(under(destdir, os.path.join(confdir, "feeds.d"))),
        "the drop-in directory feeds.d/ is there")

    plan = installed(build)
    missing = [dst for dst in plan.values()
               if not os.path.lexists(under(destdir, dst))]
    tap(not missing and len(plan) > 0, "every file meson plans is "
        "installed (%d)" % len(plan), "missing: %r" % missing)

    by_name = {}
    for dst in plan.values():
        by_name.setdefault(os.path.basename(dst), []).append(dst)
    units = {}
    for unit in ("feedspool.service", "feedspool-once.service",
                 "feedspool-once.timer"):
        dsts = by_name.get(unit, [])
        good = len(dsts) == 1 and "/systemd/system" in dsts[0]
        tap(good, "%s goes to the unit directory" % unit, repr(dsts))
        if good:
            units[unit] = under(destdir, dsts[0])
    for kind in ("sysusers.d", "tmpfiles.d"):
        dsts = [d for d in by_name.get("feedspool.conf", []) if kind in d]
        tap(len(dsts) == 1 and os.path.exists(under(destdir, dsts[0])),
            "the %s file is installed" % kind, repr(dsts))
    mans = sorted(d for d in plan.values() if "/man" in d)
    if shutil.which("scdoc") is None:
        skip("the manuals are installed", "scdoc is not installed")
    else:
        want = ["feedspool.8", "feedspool.ini.5"]
        got_names = sorted(os.path.basename(m) for m in mans)
        tap(got_names == want and all(
            m.startswith(os.path.join(prefix, opt["mandir"])) for m in mans),
            "feedspool(8) and feedspool.ini(5) go to mandir", repr(mans))

    service = units.get("feedspool.service")
    if service:
        with open(service, encoding="utf-8") as f:
            text = f.read()
        bindir = os.path.join(prefix, opt["bindir"])
        want = "ExecStart=%s/feedspool run -c %s/feedspool.ini" % (
            bindir, confdir)
        tap(want in text, "the service runs the installed binary on the "
            "installed configuration", "no line %r in:\n%s" % (want, text))
        tap(re.search(r"@[a-z_]+@", text) is None,
            "no @placeholder@ is left in the unit")
    return exe, units


def check_keeps_config(build, destdir, opt):
    confdir = os.path.join(opt["prefix"], opt["sysconfdir"], "feedspool")
    ini = under(destdir, os.path.join(confdir, "feedspool.ini"))
    mine = "; the administrator's own\n[feedspool]\noutput = /x.atom\n"
    with open(ini, "w") as f:
        f.write(mine)
    p = install(build, destdir)
    with open(ini) as f:
        after = f.read()
    tap(p.returncode == 0 and after == mine, "a second install keeps an "
        "existing feedspool.ini", p.stdout + p.stderr)


def check_units(exe, units, opt):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        for what in ("verify", "security"):
            skip("systemd-analyze %s" % what, "no systemd-analyze here")
        return
    if len(units) != 3:
        tap(False, "systemd-analyze: the units are not all installed")
        return
    # verify wants ExecStart to exist: the same units, naming the binary
    # where it was installed (the DESTDIR), side by side.
    bindir = os.path.join(opt["prefix"], opt["bindir"])
    with tempfile.TemporaryDirectory(prefix="feedspool-units-") as d:
        paths = []
        for name, src in units.items():
            with open(src, encoding="utf-8") as f:
                text = f.read()
            text = text.replace(bindir + "/feedspool", exe)
            path = os.path.join(d, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            paths.append(path)
        p = subprocess.run([analyze, "verify", "--man=no"] + sorted(paths),
                           capture_output=True, text=True, cwd=d)
        out = (p.stdout + p.stderr).strip()
        tap(p.returncode == 0 and out == "", "systemd-analyze verify: "
            "nothing to say about the three units", out)
    for name in ("feedspool.service", "feedspool-once.service"):
        p = subprocess.run([analyze, "security", "--offline=true",
                            "--no-pager", units[name]],
                           capture_output=True, text=True)
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+)",
                      p.stdout)
        score = float(m.group(1)) if m else None
        print("# systemd-analyze security %s: exposure %s" % (
            name, score if score is not None else "unknown"))
        tap(score is not None and score <= 2.0,
            "%s: exposure %s, at most 2.0" % (name, score),
            p.stdout[-2000:] + p.stderr)


def main():
    if len(sys.argv) != 3:
        print("usage: check-install.py BUILD_DIR SOURCE_DIR",
              file=sys.stderr)
        return 64
    build, source = sys.argv[1], sys.argv[2]
    opt = options(build)
    with tempfile.TemporaryDirectory(prefix="feedspool-destdir-") as dest:
        p = install(build, dest)
        tap(p.returncode == 0, "meson install --destdir",
            p.stdout + p.stderr)
        if p.returncode == 0:
            exe, units = check_tree(build, source, dest, opt)
            check_keeps_config(build, dest, opt)
            check_units(exe, units, opt)
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
