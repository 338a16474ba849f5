#!/usr/bin/env python3
"""Rebuild examples/osv: a small OSV snapshot for examples/polyglot.

For each ecosystem, <Ecosystem>/all.zip holds every record of the full snapshot
(../shared/osv/<Ecosystem>/all.zip, or the folder given as the first argument) that names, in
its `affected` list, a package found in examples/polyglot's lockfiles, whatever the version.
Records are copied byte for byte. The zips are deterministic (sorted entries, fixed timestamps),
so running this again on the same inputs rewrites identical files.

Package names come from the built CLI: run `pnpm build` first.
Usage: python3 examples/osv/generate.py [/path/to/shared/osv]
"""
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "osv"
ECOSYSTEMS = ["npm", "PyPI", "crates.io", "RubyGems"]
FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def normalize(ecosystem: str, name: str) -> str:
    # PEP 503 for PyPI; the others compared case-insensitively (a record too many is harmless).
    if ecosystem == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name.lower()


def polyglot_names() -> dict:
    out = subprocess.run(
        ["node", str(REPO / "packages/cli/dist/bin.js"), "inventory", str(REPO / "examples/polyglot"),
         "--format", "json"],
        check=False, capture_output=True, text=True,
    )
    if out.returncode != 0:
        sys.exit(f"inventory failed ({out.returncode}): {out.stderr.strip()}")
    names = {e: set() for e in ECOSYSTEMS}
    for project in json.loads(out.stdout)["projects"]:
        for pkg in project["packages"]:
            names[project["ecosystem"]].add(normalize(project["ecosystem"], pkg["name"]))
    return names


def affects(record: dict, ecosystem: str, wanted: set) -> bool:
    for affected in record.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem", "").split(":")[0] != ecosystem:
            continue
        if normalize(ecosystem, package.get("name", "")) in wanted:
            return True
    return False


def main() -> None:
    names = polyglot_names()
    for ecosystem in ECOSYSTEMS:
        kept = []
        with zipfile.ZipFile(SOURCE / ecosystem / "all.zip") as source:
            for info in source.infolist():
                if info.is_dir() or not info.filename.endswith(".json"):
                    continue
                data = source.read(info)
                if affects(json.loads(data), ecosystem, names[ecosystem]):
                    kept.append((info.filename, data))
        kept.sort()
        (HERE / ecosystem).mkdir(exist_ok=True)
        with zipfile.ZipFile(HERE / ecosystem / "all.zip", "w", zipfile.ZIP_DEFLATED) as target:
            for filename, data in kept:
                entry = zipfile.ZipInfo(filename, FIXED_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                target.writestr(entry, data, compresslevel=9)
        print(f"{ecosystem}: {len(kept)} records from {len(names[ecosystem])} package names")


if __name__ == "__main__":
    main()
