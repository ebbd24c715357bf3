"""The stages import one another in one direction only: a module never imports one that imports it back."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def imports_of(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the project it imports (anywhere in its body: deferred imports count)."""
    found = {}
    for path in sorted((ROOT / package).glob("*.py")):
        name = f"{package}.{path.stem}"
        found[name] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            found[name].update(t for t in targets if t.split(".")[0] in ("transforms", "schemas", "pipelines"))
    return found


def test_no_transforms_module_is_in_an_import_cycle():
    modules = imports_of("transforms")
    graph = {name: {t for t in targets if t in modules} for name, targets in modules.items()}

    def reaches(start: str, goal: str, seen: set) -> bool:
        return any(t == goal or (t not in seen and not seen.add(t) and reaches(t, goal, seen)) for t in graph[start])

    assert [name for name in graph if reaches(name, name, set())] == []


def test_the_write_stage_knows_nothing_of_the_label_vote():
    assert "transforms.labels" not in imports_of("transforms")["transforms.write"]


def test_transforms_never_import_the_pipelines():
    assert [name for name, targets in imports_of("transforms").items()
            if any(t.startswith("pipelines") for t in targets)] == []
