"""The tree shows the flow: stages import one another in one direction only, in the order data flows
(sources, text, dedup, events, nlp, stories), and no NER backend imports another."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
STAGES = ["sources", "text", "dedup", "events", "nlp", "stories"]  # each may import those before it
SHARED = {"transforms", "transforms.common", "transforms.languages", "transforms.dates"}
BACKENDS = "transforms.nlp.backends"


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the project it imports (anywhere in its body: deferred imports count)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        name = module_name(path)
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


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else None


def test_no_transforms_module_is_in_an_import_cycle():
    modules = imports_of("transforms")
    graph = {name: {t for t in targets if t in modules and t != name} for name, targets in modules.items()}

    def reaches(start: str, goal: str, seen: set) -> bool:
        return any(t == goal or (t not in seen and not seen.add(t) and reaches(t, goal, seen)) for t in graph[start])

    assert [name for name in graph if reaches(name, name, set())] == []


def test_a_stage_imports_only_the_stages_before_it_and_what_is_shared():
    modules = imports_of("transforms")
    wrong = []
    for name, targets in modules.items():
        stage = stage_of(name)
        if stage not in STAGES:
            continue
        allowed = set(STAGES[:STAGES.index(stage) + 1])
        wrong += [(name, t) for t in targets if t in modules and t not in SHARED
                  and stage_of(t) in STAGES and stage_of(t) not in allowed]
    assert wrong == []


def test_no_ner_backend_imports_another():
    modules = imports_of("transforms")
    backends = [name for name in modules if name.startswith(BACKENDS + ".")]
    assert len(backends) >= 2
    assert [(name, t) for name in backends for t in modules[name] if t.startswith(BACKENDS) and t != name] == []


def test_the_sinks_know_nothing_of_the_label_vote():
    assert not any(t.startswith("transforms.nlp") for t in imports_of("transforms")["transforms.sinks.parquet"])


def test_transforms_never_import_the_pipelines():
    assert [name for name, targets in imports_of("transforms").items()
            if any(t.startswith("pipelines") for t in targets)] == []
