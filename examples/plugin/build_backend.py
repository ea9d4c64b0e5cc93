"""A build backend (PEP 517) in the standard library: the wheel holds the package and its entry points.

Why not setuptools: ``pip install --no-deps --no-build-isolation`` builds with what the
environment already has, and a fresh virtual environment has no setuptools that can
build a wheel (Python 3.11's venv brings setuptools 65 without ``wheel``; 3.12's none).
This file needs nothing, so the plugin installs wherever storyline runs, offline. A
package you publish may use any backend instead (``setuptools>=70.1``, ``hatchling``,
``flit_core``): only ``[project]`` and its entry points matter to storyline.

It reads ``[project]`` from pyproject.toml (name, version, description, readme,
requires-python, dependencies, entry-points) and packs the package named like the
project (``storyline-readability``: ``storyline_readability/``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tarfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Files in the package directory that are left out of the wheel.
SKIP = re.compile(r"(^|/)(__pycache__|\.pytest_cache)(/|$)|\.py[co]$")

__all__ = [
    "build_wheel", "build_editable", "build_sdist",
    "get_requires_for_build_wheel", "get_requires_for_build_editable", "get_requires_for_build_sdist",
]


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata(project: dict) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    if project.get("description"):
        lines.append(f"Summary: {project['description']}")
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines += [f"Requires-Dist: {dep}" for dep in project.get("dependencies", [])]
    readme = project.get("readme")
    body = (ROOT / readme).read_text(encoding="utf-8") if isinstance(readme, str) else ""
    if body:
        lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + body


def _entry_points(project: dict) -> str:
    groups = dict(project.get("entry-points", {}))
    if project.get("scripts"):
        groups["console_scripts"] = project["scripts"]
    out = []
    for group, points in groups.items():
        out += [f"[{group}]", *(f"{name} = {ref}" for name, ref in points.items()), ""]
    return "\n".join(out)


def _package_files(package: str) -> list[tuple[str, bytes]]:
    base = ROOT / package
    if not (base / "__init__.py").is_file():
        raise FileNotFoundError(f"no package {package}/ beside {ROOT / 'pyproject.toml'}")
    files = []
    for path in sorted(base.rglob("*")):
        arcname = path.relative_to(ROOT).as_posix()
        if path.is_file() and not SKIP.search(arcname):
            files.append((arcname, path.read_bytes()))
    return files


def _wheel(directory: str, files: list[tuple[str, bytes]]) -> str:
    project = _project()
    dist = f"{_normal(project['name'])}-{project['version']}"
    info = f"{dist}.dist-info"
    files = files + [
        (f"{info}/METADATA", _metadata(project).encode()),
        (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: build_backend.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
        (f"{info}/entry_points.txt", _entry_points(project).encode()),
    ]
    record = [
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for name, data in files
    ]
    files.append((f"{info}/RECORD", ("\n".join(record + [f"{info}/RECORD,,"]) + "\n").encode()))
    filename = f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(Path(directory) / filename, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            zf.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return filename


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    return _wheel(wheel_directory, _package_files(_normal(_project()["name"])))


def build_editable(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    """``pip install -e``: a .pth file puts this folder on sys.path."""
    package = _normal(_project()["name"])
    _package_files(package)  # fails early when the package is missing
    return _wheel(wheel_directory, [(f"__editable__.{package}.pth", f"{ROOT}\n".encode())])


def build_sdist(sdist_directory, config_settings=None) -> str:
    project = _project()
    dist = f"{_normal(project['name'])}-{project['version']}"
    files = [("PKG-INFO", _metadata(project).encode())]
    files += [(p.name, p.read_bytes()) for p in sorted(ROOT.iterdir()) if p.is_file() and not SKIP.search(p.name)]
    files += _package_files(_normal(project["name"]))
    filename = f"{dist}.tar.gz"
    with tarfile.open(Path(sdist_directory) / filename, "w:gz") as tar:
        for name, data in files:
            entry = tarfile.TarInfo(f"{dist}/{name}")
            entry.size, entry.mode = len(data), 0o644
            tar.addfile(entry, io.BytesIO(data))
    return filename


def get_requires_for_build_wheel(config_settings=None) -> list[str]:
    return []


get_requires_for_build_editable = get_requires_for_build_sdist = get_requires_for_build_wheel
