"""The layers, read from the source: every module's imports are parsed (no import is
run) and held to the rules docs/architecture.md draws.

- Face (views, the JSON API, forms, filters, consumers, urls, admin, feeds, template tags,
  management commands, the demo loader) may import anything.
- Checks (``permissions``) may import the core, never a face.
- Core (models, services, selectors, tasks, realtime, markup, search, spam…) imports
  neither a face nor a check: a service assumes its check was made.
- ``accounts`` imports no other app; every app may import ``config``.
- No import cycles between modules; imports sit at the top of a module, and one inside a
  function says why on its line or the line above.
- No module over 400 lines unless ``LONG_MODULES`` says why.
- The check → 403 → form → service → field errors outline is written once, in
  ``config/views.py``."""

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "config", "forum", "moderation")
FACE_PARTS = {
    "views",
    "api",
    "forms",
    "filters",
    "consumers",
    "urls",
    "routing",
    "asgi",
    "wsgi",
    "admin",
    "feeds",
    "templatetags",
    "context_processors",
    "management",
    "demo",
    "adapter",
    "middleware",
    "errors",
    "hostile",
}
CHECK_PARTS = {"permissions"}
MAX_LINES = 400
LONG_MODULES = {
    "config/settings.py": "the one base settings module, read top to bottom (CONVENTIONS 11)",
    "moderation/spam/corpus/generate.py": "the corpus templates: text, not logic",
    "moderation/spam/corpus/handwritten.py": "the handwritten corpus: text, not logic",
}


@cache
def modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            rel = path.relative_to(ROOT).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            found[".".join(parts)] = path
    return found


def layer(module: str) -> str:
    parts = module.split(".")[1:]

    def named(kinds):
        return any(p == kind or p.startswith(kind + "_") for p in parts for kind in kinds)

    if named(FACE_PARTS):
        return "face"
    if named(CHECK_PARTS):
        return "check"
    return "core"


def _resolve(name: str) -> str:
    mods = modules()
    while name and name not in mods:
        name = name.rsplit(".", 1)[0] if "." in name else ""
    return name


def _is_type_checking(node) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


@cache
def imports(module: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(imports made when the module loads, imports inside functions), as (module,
    line) pairs naming this project's modules."""
    path = modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    at_load, inside = [], []

    def visit(node, in_function: bool):
        if _is_type_checking(node):
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                names = [f"{base}.{alias.name}" for alias in node.names]
            for name in names:
                target = _resolve(name)
                if target and target != module:
                    (inside if in_function else at_load).append((target, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(
                child,
                in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef),
            )

    visit(tree, False)
    return at_load, inside


def all_imports(module):
    at_load, inside = imports(module)
    return at_load + inside


def test_core_imports_neither_a_face_nor_a_check():
    wrong = [
        f"{module}:{line} imports {target} ({layer(target)})"
        for module in modules()
        if layer(module) == "core"
        for target, line in all_imports(module)
        if layer(target) != "core"
    ]
    assert not wrong, "\n".join(wrong)


def test_checks_import_no_face():
    wrong = [
        f"{module}:{line} imports {target}"
        for module in modules()
        if layer(module) == "check"
        for target, line in all_imports(module)
        if layer(target) == "face"
    ]
    assert not wrong, "\n".join(wrong)


def test_accounts_imports_no_other_app():
    wrong = [
        f"{module}:{line} imports {target}"
        for module in modules()
        if module.startswith("accounts")
        for target, line in all_imports(module)
        if target.split(".")[0] in ("forum", "moderation")
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    # Imports inside functions count too: deferring one hides a loop, it does not untie it.
    graph = {module: {t for t, _ in all_imports(module)} for module in modules()}
    cycles, state = [], {}

    def walk(module, path):
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(" → ".join(path[path.index(target) :] + [target]))
            elif target not in state:
                walk(target, path + [target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert not cycles, "\n".join(cycles)


def test_imports_inside_functions_say_why():
    silent = []
    for module, path in modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for _, line in imports(module)[1]:
            here, above = lines[line - 1], lines[line - 2] if line > 1 else ""
            if "#" not in here and not above.strip().startswith("#"):
                silent.append(f"{module}:{line}")
    assert not silent, "\n".join(silent)


def test_modules_are_short_or_say_why():
    long = [
        f"{path.relative_to(ROOT)} ({count} lines)"
        for path in modules().values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and str(path.relative_to(ROOT)) not in LONG_MODULES
    ]
    assert not long, "\n".join(long)


def test_the_checked_form_outline_is_written_once():
    repeated = [
        str(path.relative_to(ROOT))
        for module, path in modules().items()
        if layer(module) == "face"
        and module not in ("config.views", "config.forms")
        and "apply_service_errors(" in path.read_text(encoding="utf-8")
    ]
    assert not repeated, "\n".join(repeated)


@pytest.mark.parametrize(
    "module, expected",
    [
        ("forum.views.threads", "face"),
        ("moderation.forms.flags", "face"),
        ("forum.context_processors", "face"),
        ("moderation.permissions.blocks", "check"),
        ("forum.services.posts", "core"),
        ("moderation.spam.scoring", "core"),
    ],
)
def test_layers_are_read_from_module_names(module, expected):
    assert layer(module) == expected
