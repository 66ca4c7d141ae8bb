#!/usr/bin/env python3
"""Copy the front-end libraries' built files from node_modules/ into bastion/static/vendor/.

npm only downloads (`npm ci`); no Node build step runs. This script picks the few minified
files the templates load, plus the source maps and fonts those files point at (Django's
ManifestStaticFilesStorage rewrites those references and fails if their targets are missing).

The destination is owned by this script: files that are no longer on the list are removed.
Unchanged files are left alone, so a second run does nothing and collectstatic stays quick.

Usage: python scripts/collect_vendor.py [--node-modules DIR] [--dest DIR] [--quiet]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Asset:
    package: str
    source: str  # path inside the package
    target: str  # path inside the vendor folder


ASSETS: tuple[Asset, ...] = (
    Asset("htmx.org", "dist/htmx.min.js", "htmx.min.js"),
    Asset("bootstrap", "dist/css/bootstrap.min.css", "bootstrap.min.css"),
    Asset("bootstrap", "dist/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js"),
    Asset("bootstrap-icons", "font/bootstrap-icons.min.css", "bootstrap-icons.min.css"),
    Asset("echarts", "dist/echarts.min.js", "echarts.min.js"),
)

# Whole folders copied as they are: bootstrap-icons.min.css loads url("fonts/...").
FOLDERS: tuple[Asset, ...] = (Asset("bootstrap-icons", "font/fonts", "fonts"),)

_SOURCE_MAP = re.compile(rb"sourceMappingURL=([^\s*'\"]+)")


class VendorError(Exception):
    pass


def _source_map_of(path: Path) -> Path | None:
    """The .map file that `path` refers to in its last lines, if it names a sibling file."""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 512))
        tail = handle.read()
    match = _SOURCE_MAP.search(tail)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    if "/" in name or name.startswith("data:"):
        return None
    return path.with_name(name)


def plan(node_modules: Path) -> dict[str, Path]:
    """Map each vendor-relative target path to the file in node_modules it comes from."""
    files: dict[str, Path] = {}
    for asset in ASSETS:
        source = node_modules / asset.package / asset.source
        if not source.is_file():
            raise VendorError(f"missing {source} (is the package in package.json?)")
        files[asset.target] = source
        source_map = _source_map_of(source)
        if source_map is not None:
            if not source_map.is_file():
                raise VendorError(f"{source} refers to {source_map.name}, which is missing")
            files[str(Path(asset.target).with_name(source_map.name))] = source_map
    for folder in FOLDERS:
        source_dir = node_modules / folder.package / folder.source
        if not source_dir.is_dir():
            raise VendorError(f"missing folder {source_dir}")
        for source in sorted(p for p in source_dir.rglob("*") if p.is_file()):
            files[str(Path(folder.target) / source.relative_to(source_dir))] = source
    return files


def versions(node_modules: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for package in sorted({a.package for a in (*ASSETS, *FOLDERS)}):
        manifest = json.loads((node_modules / package / "package.json").read_text("utf-8"))
        found[package] = str(manifest.get("version", "?"))
    return found


def collect(node_modules: Path, dest: Path) -> tuple[int, int, int]:
    """Copy what changed and prune what is gone; return (copied, unchanged, removed)."""
    if not node_modules.is_dir():
        raise VendorError(f"{node_modules} does not exist: run `npm ci` first")
    files = plan(node_modules)
    dest.mkdir(parents=True, exist_ok=True)

    copied = unchanged = removed = 0
    for relative, source in files.items():
        target = dest / relative
        if target.is_file() and filecmp.cmp(source, target, shallow=False):
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1

    keep = {dest / relative for relative in files}

    for path in sorted(dest.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return copied, unchanged, removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--node-modules", type=Path, default=ROOT / "node_modules")
    parser.add_argument("--dest", type=Path, default=ROOT / "bastion" / "static" / "vendor")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        copied, unchanged, removed = collect(args.node_modules, args.dest)
    except VendorError as error:
        print(f"collect_vendor: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(
            f"collect_vendor: {copied} copied, {unchanged} unchanged, {removed} removed "
            f"in {args.dest}"
        )
        # Versions are printed, not written beside the files: /static/ is public.
        print(
            "collect_vendor: "
            + ", ".join(f"{k} {v}" for k, v in versions(args.node_modules).items())
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
