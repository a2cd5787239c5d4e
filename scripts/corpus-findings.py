#!/usr/bin/env python3
"""Counts the findings atom-sage reports on the real-config corpus, by code and severity.

Each corpus config is laid out as the project it came from (its path in its repository, plus
the names of its D1 migration files), checked in every environment with `--format json`, and
the findings tallied. Prints a Markdown table; with --samples N, N example findings per code.

Usage: scripts/corpus-findings.py [--binary target/release/atom-sage] [--samples 3]
       scripts/corpus-findings.py --layout DIR   # only lay the projects out under DIR; print
                                                 # "config-path<TAB>corpus-name" lines
"""

import argparse
import collections
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
shared = os.environ.get("ATOM_SAGE_SHARED", os.path.join(here, "..", "..", "shared"))
corpus = os.path.join(shared, "corpus", "real-configs")


def projects(root):
    """Yields (corpus name, config path) for every corpus config, laid out under root."""
    migrations = collections.defaultdict(list)
    with open(os.path.join(corpus, "MIGRATIONS.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["present"] == "yes":
                migrations[row["file"]].append(row)
    with open(os.path.join(corpus, "INDEX.tsv")) as f:
        for number, row in enumerate(csv.DictReader(f, delimiter="\t")):
            base = os.path.join(root, str(number))
            config = os.path.join(base, row["path"])
            os.makedirs(os.path.dirname(config), exist_ok=True)
            shutil.copy(os.path.join(corpus, row["file"]), config)
            for m in migrations[row["file"]]:
                for name in filter(None, m["file_names"].split(",")):
                    path = os.path.join(base, m["resolved_repo_path"], name)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    open(path, "w").close()
            yield row["file"], config


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(here, "..", "target", "release", "atom-sage"))
    parser.add_argument("--samples", type=int, default=0)
    parser.add_argument("--layout", metavar="DIR")
    args = parser.parse_args()
    if args.layout:
        for name, config in projects(args.layout):
            print(f"{config}\t{name}")
        return
    counts = collections.Counter()
    files_with = collections.defaultdict(set)
    samples = collections.defaultdict(list)
    names = {}
    exits = collections.Counter()
    total = 0
    with tempfile.TemporaryDirectory() as root:
        for name, config in projects(root):
            total += 1
            out = subprocess.run([args.binary, "check", "--format", "json", "--config", config],
                                 capture_output=True, text=True)
            exits[out.returncode] += 1
            if out.returncode not in (0, 1):
                print(f"{name}: exit {out.returncode}: {out.stderr}", file=sys.stderr)
                continue
            report = json.loads(out.stdout)
            for d in report["diagnostics"]:
                key = (d["code"], d["severity"])
                counts[key] += 1
                files_with[key].add(name)
                names[d["code"]] = d["name"]
                if len(samples[key]) < args.samples:
                    samples[key].append(f"{name}:{d['line']}: [{d['env'] or 'top'}] {d['message']}")
    print(f"{total} configs; exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(exits.items())))
    print()
    print("| code | name | severity | findings | configs |")
    print("|---|---|---|---:|---:|")
    for (code, severity), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"| {code} | {names[code]} | {severity} | {n} | {len(files_with[(code, severity)])} |")
    if args.samples:
        for key in sorted(samples):
            print(f"\n{key[0]} {key[1]}:")
            for line in samples[key]:
                print("  " + line)


if __name__ == "__main__":
    main()
