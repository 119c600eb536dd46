"""The package's shape: its public names, its layers, and the generated dict forms."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import pulumi_azure_batch_jobs as pkg
from pulumi_azure_batch_jobs import msrest
from pulumi_azure_batch_jobs.args import _dictgen, _fieldgen

PACKAGE = Path(pkg.__file__).parent
ARGUMENT_CLASSES = [
    "AutoPoolSpecification",
    "AutoUserSpecification",
    "BatchJobArgs",
    "BatchJobScheduleArgs",
    "BatchTaskArgs",
    "ComputeNodeIdentityReference",
    "ContainerHostBatchBindMountEntry",
    "ContainerRegistry",
    "EnvironmentSetting",
    "JobConstraints",
    "JobManagerTask",
    "JobPreparationTask",
    "JobReleaseTask",
    "JobSpecification",
    "MetadataItem",
    "PoolInformation",
    "ResourceFile",
    "Schedule",
    "TaskConstraints",
    "TaskContainerSettings",
    "TaskDependencies",
    "TaskIdRange",
    "UserIdentity",
]
PUBLIC = sorted(
    [
        "BatchJob",
        "BatchJobSchedule",
        "Provider",
        *ARGUMENT_CLASSES,
        *(f"{name}Dict" for name in ARGUMENT_CLASSES),
        "DeserializationError",
        "SerializationError",
        "UnknownArgumentError",
        "ValidationError",
        "job_args_from_spec",
        "job_spec_from_args",
        "load_job_spec",
        "validate_job",
        "validate_job_schedule",
    ]
)
MSREST = [
    "BatchModel",
    "KeyExtractor",
    "KeyTransformer",
    "attribute_key_case_insensitive_extractor",
    "attribute_key_extractor",
    "attribute_transformer",
    "full_restapi_key_transformer",
    "last_rest_key_case_insensitive_extractor",
    "last_rest_key_extractor",
    "last_restapi_key_transformer",
    "rest_key_case_insensitive_extractor",
    "rest_key_extractor",
]
#: Layer of each subpackage; a module may import only from its own layer or lower ones.
LAYERS = {"core": 0, "validation": 1, "args": 2, "provider": 3}
TOP = 4  # the package's own modules: resources, the public surface, the frozen 0.1 path


def test_public_names_are_pinned() -> None:
    assert sorted(pkg.__all__) == PUBLIC
    assert all(hasattr(pkg, name) for name in pkg.__all__)
    public = {n for n in dir(pkg) if not n.startswith("_")}
    assert public - set(pkg.__all__) <= set(LAYERS) | {"msrest", "dynamic_provider"}


def test_msrest_plumbing_is_a_submodule() -> None:
    assert sorted(msrest.__all__) == MSREST
    assert not set(MSREST) & set(pkg.__all__)


def test_the_dict_forms_are_generated_from_the_declarations() -> None:
    assert _dictgen.TARGET.read_text() == _dictgen.render(), (
        "args/_dicts.py is stale: run python -m pulumi_azure_batch_jobs.args._dictgen"
    )


def test_the_field_table_and_enums_are_generated_from_the_declarations_and_the_sdk() -> None:
    assert _fieldgen.ENUMS_TARGET.read_text() == _fieldgen.render_enums(), (
        "validation/_enums.py is stale: run python -m pulumi_azure_batch_jobs.args._fieldgen"
    )
    assert _fieldgen.TARGET.read_text() == _fieldgen.render_table(), (
        "args/_fieldtable.py is stale: run python -m pulumi_azure_batch_jobs.args._fieldgen"
    )


def test_every_argument_class_reads_its_fields_from_the_table() -> None:
    for cls in _fieldgen.argument_classes():
        assert f"{cls.__module__}.{cls.__qualname__}" in _fieldgen.FIELDS
        base = cls.__mro__[1]
        inherited = base.fields() if issubclass(base, msrest.BatchModel) else ()
        assert cls.fields() == inherited + _fieldgen.derived(cls), cls.__name__


def _azure_modules_after(imports: str, then: str = "") -> list[str]:
    script = (
        f"import sys, {imports}\n{then}\n"
        "print(sorted(m for m in sys.modules if m.startswith('azure')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return list(ast.literal_eval(found.strip()))


def test_a_program_declaring_jobs_imports_no_azure_package() -> None:
    """A program needs neither azure-batch nor azure-core: the type tokens it names live
    apart from the schema (``provider/_tokens.py``)."""
    assert _azure_modules_after("pulumi_azure_batch_jobs") == []


#: A job's check and diff in the plugin, as the engine asks for them at preview.
CHECK_AND_DIFF = (
    "from pulumi_azure_batch_jobs.provider._provider import BatchJobsProvider as P; "
    "p = P(); p.configure({'endpoint': 'http://127.0.0.1:1', 'accountName': 'a'}); "
    "task = {'command_line': 'x'}; news = {'job_id': 'j', 'pool_info': {'pool_id': 'p'}, "
    "'job_preparation_task': task, 'job_release_task': task}; "
    "inputs, failures = p.check('urn:pulumi:s::p::azure-batch-jobs:index:BatchJob::j', {}, news); "
    "assert not failures, failures; P.diff(inputs, inputs)"
)


def test_the_plugin_imports_no_azure_package_before_a_request() -> None:
    """The plugin starts, checks and diffs without azure-batch or azure-core (their import
    is paid by the first request), so a preview does not wait for them."""
    found = _azure_modules_after("pulumi_azure_batch_jobs.provider._server", CHECK_AND_DIFF)
    assert found == []


def _layer(module: Path) -> int:
    parts = module.relative_to(PACKAGE).parts
    return LAYERS[parts[0]] if len(parts) > 1 else TOP


def _imported(module: Path) -> list[tuple[str, int]]:
    """(name, layer) of every package module ``module`` imports."""
    tree = ast.parse(module.read_text())
    here = module.relative_to(PACKAGE).parts[:-1]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - node.level + 1]
            target = [*base, *(node.module or "").split(".")]
            target = [p for p in target if p]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(pkg.__name__):
            target = (node.module or "").split(".")[1:]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith(pkg.__name__ + ".")]
            target = names[0].split(".")[1:] if names else []
            if not target:
                continue
        else:
            continue
        layer = LAYERS.get(target[0], TOP) if target else TOP
        found.append((".".join(target) or "(package)", layer))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_reaches_a_higher_layer(module: Path) -> None:
    own = _layer(module)
    upward = [name for name, layer in _imported(module) if layer > own]
    assert not upward, f"{module.name} (layer {own}) imports from higher layers: {upward}"


@pytest.mark.parametrize("module", sorted((PACKAGE / "core").rglob("*.py")), ids=lambda p: p.name)
def test_the_core_imports_no_pulumi(module: Path) -> None:
    tree = ast.parse(module.read_text())
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.split(".")[0] == "pulumi"]


def test_the_layer_check_sees_imports() -> None:
    imports = dict(_imported(PACKAGE / "provider" / "_provider.py"))
    assert imports["core._job_service"] == 0
    assert any(layer == 2 for name, layer in _imported(PACKAGE / "_resource.py"))


def _private_azure_reads(source: str) -> list[str]:
    """Imports of private azure modules, and private attributes read off azure names."""
    tree = ast.parse(source)
    azure_names: set[str] = set()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("azure"):
            if any(part.startswith("_") for part in (node.module or "").split(".")):
                found.append(f"from {node.module} import ...")
            azure_names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("azure"):
                    if any(part.startswith("_") for part in alias.name.split(".")):
                        found.append(f"import {alias.name}")
                    azure_names.add((alias.asname or alias.name).split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in azure_names
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_the_component_reads_no_private_azure_names() -> None:
    """azure-batch and azure-core are used through their public names only (a private one
    can change in any release)."""
    reads = {
        str(path.relative_to(PACKAGE)): _private_azure_reads(path.read_text())
        for path in PACKAGE.rglob("*.py")
    }
    assert {path: found for path, found in reads.items() if found} == {}


def test_the_private_read_check_finds_one() -> None:
    source = "from azure.batch.models._models import X\nfrom azure.batch import models\nmodels._x\n"
    assert _private_azure_reads(source) == [
        "from azure.batch.models._models import ...",
        "models._x",
    ]
