"""What an output was made from, as digests: the data files, the library's code and the versions
of the packages that shape the numbers and the files. The renderer keys reports on them; a sweep
records them, so the index can say when it was made from other data or code."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from sustainment import paths

KEY_PACKAGES = ("numpy", "pandas", "matplotlib", "seaborn", "statsmodels", "scipy", "pint", "pandera",
                "papermill", "nbconvert", "nbformat", "ipykernel", "jinja2")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_checksums(data_dir: Path) -> dict[str, str]:
    """Each data file (CSV, scenario YAML) under `data_dir`, relative path -> sha256."""
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and p.suffix in (".csv", ".yaml"))
    return {str(p.relative_to(data_dir)): sha256_bytes(p.read_bytes()) for p in files}


def code_digest() -> str:
    """Library source + key package versions: a change to either re-renders."""
    digest = hashlib.sha256()
    for path in sorted(paths.LIB_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2"):
            digest.update(str(path.relative_to(paths.LIB_DIR)).encode() + path.read_bytes())
    for package in KEY_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=absent".encode())
    return digest.hexdigest()


def inputs_digest(data_dir: Path) -> str:
    """One digest of every data file and the code: equal when nothing an output rests on changed."""
    return sha256_bytes(json.dumps({"data": data_checksums(data_dir), "code": code_digest()}, sort_keys=True).encode())
