# Dependency closure of one repository against itself and the repos it builds on, as
# `dnf repoclosure --check` does it (dnf-plugins-core is not installed here), through dnf's own
# Python API, so modular filtering applies exactly as dnf applies it. Prints JSON:
# {"checked": <packages>, "unresolved": {"<nevra>": ["<requirement>", ...]}}.
# Usage: repoclosure.py <installroot> <cachedir> <platform stream> <check dir> [<other dir> ...]
import json
import sys

import dnf


def main():
    installroot, cachedir, platform, check, *others = sys.argv[1:]
    base = dnf.Base()
    conf = base.conf
    conf.installroot = installroot
    conf.cachedir = cachedir
    conf.reposdir = []
    conf.module_platform_id = "platform:%s" % platform
    conf.substitutions["releasever"] = "".join(c for c in platform if c.isdigit()) or platform
    for index, directory in enumerate([check] + others):
        base.repos.add_new_repo("check" if index == 0 else "base%d" % index, conf, baseurl=["file://" + directory])
    base.fill_sack(load_system_repo=False)
    available = base.sack.query().available()
    checked = available.filter(reponame="check")
    unresolved = {}
    for pkg in checked:
        for req in pkg.requires:
            text = str(req)
            if text.startswith("rpmlib("):
                continue
            if not available.filter(provides=req):
                unresolved.setdefault(str(pkg), []).append(text)
    print(json.dumps({"checked": len(checked), "unresolved": unresolved}))


main()
