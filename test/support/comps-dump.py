"""Loads a comps file with libcomps and prints a canonical JSON dump of what libcomps read.

Used by the comps round-trip tests: two files that dump the same hold the same groups (packages, their
types and requires, translations, flags), categories, environments (group and option lists) and
langpacks, as libcomps (and so dnf) sees them. The blacklist and whiteout are left out: the bindings
read them as prefix trees with garbled values, so the TypeScript side compares those.

usage: comps-dump.py FILE
"""
import json
import sys

import libcomps

TYPES = {
    libcomps.PACKAGE_TYPE_MANDATORY: "mandatory",
    libcomps.PACKAGE_TYPE_DEFAULT: "default",
    libcomps.PACKAGE_TYPE_OPTIONAL: "optional",
    libcomps.PACKAGE_TYPE_CONDITIONAL: "conditional",
    libcomps.PACKAGE_TYPE_UNKNOWN: "unknown",
}


def plain(mapping):
    # libcomps 0.1.19's dictionaries hand out keys the bindings free too early: items(), list(keys())
    # or sorting them crash the interpreter. Copy each key and value while it is alive, then sort.
    copy = {fresh(key): fresh(mapping[key]) for key in mapping.keys()}
    return dict(sorted(copy.items()))


def fresh(text):
    return (text + ".")[:-1]


def translated(item):
    return {
        "id": item.id,
        "name": item.name,
        "name_by_lang": plain(item.name_by_lang),
        "desc": item.desc,
        "desc_by_lang": plain(item.desc_by_lang),
        "display_order": item.display_order,
    }


def group_ids(ids):
    return [{"name": g.name, "default": bool(g.default)} for g in ids]


def group(g):
    return {
        **translated(g),
        "default": bool(g.default),
        "uservisible": bool(g.uservisible),
        "biarchonly": bool(g.biarchonly),
        "lang_only": g.lang_only,
        "packages": [
            {"name": p.name, "type": TYPES[p.type], "requires": p.requires, "basearchonly": bool(p.basearchonly)}
            for p in g.packages
        ],
    }


def main(path):
    comps = libcomps.Comps()
    errors = comps.fromxml_f(path)
    if errors == -1:
        sys.exit("libcomps could not parse %s: %s" % (path, comps.get_last_errors()))
    dump = {
        "groups": [group(g) for g in comps.groups],
        "categories": [{**translated(c), "group_ids": group_ids(c.group_ids)} for c in comps.categories],
        "environments": [
            {**translated(e), "group_ids": group_ids(e.group_ids), "option_ids": group_ids(e.option_ids)}
            for e in comps.environments
        ],
        "langpacks": plain(comps.langpacks),
    }
    json.dump(dump, sys.stdout, ensure_ascii=False, sort_keys=True, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
