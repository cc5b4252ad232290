"""The apps' imports keep their layers, so each new app can copy the pattern:

* core is the ground floor and imports no app;
* accounts and federation (people and networks) stand on core only;
* every capability app (directory, and the apps to come) stands on those three;
* no app imports another app's views or URLs (core's view machinery, being the
  ground floor, is there to be built on);
* no two modules import each other, however indirectly, counting imports
  inside functions too (a lazy import hides a cycle, it does not remove it);
* only tests import the test support (recoverynet.testing).

It reads the source (ast), so it sees every import, whether or not it runs."""

import ast
from collections import defaultdict
from pathlib import Path

import recoverynet

PACKAGE = Path(recoverynet.__file__).parent
FOUNDATION = {"accounts", "federation"}
LAYER = defaultdict(lambda: 2, {"core": 0, "accounts": 1, "federation": 1})
VIEW_MODULES = ("views", "urls")  # and names ending in _views / _urls


def is_test(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or "migrations" in parts or module.startswith("recoverynet.testing")


def source_modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports_of(module: str, path: Path, known: set) -> set[str]:
    """The recoverynet modules `module` imports, resolved to modules (not names in them)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from package import module` names the module; `from module import name`, the module.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target.startswith("recoverynet.") and target != module:
                found.add(target)
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] != "testing" else None


def is_view_module(module: str) -> bool:
    return any(part in VIEW_MODULES or part.endswith(("_views", "_urls")) for part in module.split(".")[2:])


def graph():
    modules = source_modules()
    known = set(modules)
    return {
        module: imports_of(module, path, known)
        for module, path in modules.items()
        if not is_test(module) and module != "recoverynet"
    }


def test_no_layer_imports_one_above_it():
    wrong = []
    for module, targets in graph().items():
        for target in targets:
            source_app, target_app = app_of(module), app_of(target)
            if target_app is None and not is_test(target):
                continue
            if is_test(target):
                wrong.append(f"{module} imports test support {target}")
            elif LAYER[target_app] > LAYER[source_app]:
                wrong.append(f"{module} (layer {LAYER[source_app]}) imports {target} (layer {LAYER[target_app]})")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_app_imports_another_apps_views():
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        for target in targets
        if app_of(target) not in {app_of(module), "core"} and is_view_module(target)
    ]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_modules_import_each_other():
    """No cycle of any length in the module graph (Tarjan's strongly connected components)."""
    edges = graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in edges:
                continue
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    assert not cycles, "\n".join(" <-> ".join(cycle) for cycle in cycles)


def test_the_check_sees_imports_inside_functions(tmp_path):
    """The walker is not vacuous: a lazy relative import counts."""
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from ..federation import scoping\n")
    found = imports_of("recoverynet.core.probe", module, {"recoverynet.federation.scoping", "recoverynet.federation"})
    assert found == {"recoverynet.federation.scoping"}
