"""The decisions app is split by concept, as NetBox does: ``models``, ``rules``,
``selectors``, ``services`` and ``admin`` are each a package with one module per concept
(meetings, delegations, interests). Dependencies between the concepts point one way, and
each package re-exports its modules' public names, so ``from decisions.models import
Meeting`` and ``services.vote_cast(...)`` keep working."""

import ast
import importlib
import pathlib

import pytest

import decisions

# In the order they build on each other: a module imports its own layer or one before it.
LAYERS = ["models", "rules", "selectors", "services", "admin"]

# The concepts each concept builds on. A decision is made under a delegation and a
# conflict arises from a register entry, so meetings use the other two; those two never
# use meetings or each other.
BUILDS_ON = {
    "common": set(),
    "delegations": {"common"},
    "interests": {"common"},
    # A decision's outcome is stored (``outcomes``, derived data) and computed by meetings.
    "outcomes": set(),
    "meetings": {"common", "delegations", "interests", "outcomes"},
    # A system's structure on a date: its bodies, committees and the delegations between.
    "structure": {"common", "delegations"},
}

APP = pathlib.Path(decisions.__file__).parent
MODULES = [
    (layer, path.stem)
    for layer in LAYERS
    for path in sorted((APP / layer).glob("*.py"))
    if path.stem != "__init__"
]


def source(layer: str, concept: str) -> ast.Module:
    return ast.parse((APP / layer / f"{concept}.py").read_text())


def imports(tree: ast.Module):
    """Every module imported, at the top or inside a function."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def public_definitions(tree: ast.Module) -> list[str]:
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names.extend(t.id for t in node.targets if isinstance(t, ast.Name))
    return [name for name in names if not name.startswith("_")]


@pytest.mark.parametrize(("layer", "concept"), MODULES, ids=[".".join(m) for m in MODULES])
def test_a_concept_module_imports_only_the_concepts_and_layers_it_builds_on(layer, concept):
    assert concept in BUILDS_ON, f"decisions.{layer}.{concept} is not one of the concepts"
    for module in imports(source(layer, concept)):
        parts = module.split(".")
        if parts[0] != "decisions":
            continue
        where = f"decisions.{layer}.{concept} imports {module}"
        assert len(parts) == 3 and parts[1] in LAYERS, (
            f"{where}: import the concept module itself, not the package or another module"
        )
        assert LAYERS.index(parts[1]) <= LAYERS.index(layer), f"{where}, a later layer"
        assert parts[2] == concept or parts[2] in BUILDS_ON[concept], (
            f"{where}, but {concept} does not build on {parts[2]}"
        )


@pytest.mark.parametrize("layer", LAYERS)
def test_each_package_re_exports_the_public_names_of_its_concept_modules(layer):
    package = importlib.import_module(f"decisions.{layer}")
    for module_layer, concept in MODULES:
        if module_layer != layer:
            continue
        module = importlib.import_module(f"decisions.{layer}.{concept}")
        for name in public_definitions(source(layer, concept)):
            assert name in package.__all__, f"decisions.{layer} does not re-export {name}"
            assert getattr(package, name) is getattr(module, name)
