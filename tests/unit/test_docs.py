"""The docs say what the code does: their examples run, their tables match the code, and
they point only at what the repository holds.

README.md is the entrance (what it is, the two commands, a quickstart, links); the
reference, the emulator, troubleshooting, performance and the rest are in ``docs/*.md``.
Each check finds the heading it reads in whichever of those files holds it (once):

- the ``>>>`` examples run as doctests;
- the quickstart block of README.md is ``examples/quickstart/__main__.py``, verbatim;
- the argument reference names every field of every argument class, and every setting
  of ``BatchJob``;
- the update-or-replace table is the provider's diff plan;
- the examples table lists every example folder;
- the emulator's flags exist, and each error quoted in Troubleshooting is raised by the
  component or the emulator;
- README.md stays short and links every file of ``docs/``;
- every relative link of a doc points to a file (and heading) that exists, and no doc
  refers to a document outside the repository.
"""

from __future__ import annotations

import doctest
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

import pulumi_azure_batch_jobs as pkg
from batch_emulator import cli
from pulumi_azure_batch_jobs import BatchJob, BatchJobArgs, BatchJobSchedule, msrest
from pulumi_azure_batch_jobs.core._diff_plan import (
    PATCHABLE,
    PATCHABLE_WHILE_DISABLED,
    RESOURCE_SETTINGS,
)
from pulumi_azure_batch_jobs.provider._wire import wire_text

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
#: The user guide: README.md, then the files of docs/.
GUIDE = [README, *sorted((REPO_ROOT / "docs").glob("*.md"))]
#: Every hand-written document: the guide, the other READMEs, ARCHITECTURE.md, CHANGELOG.md.
DOCUMENTS = [
    *GUIDE,
    REPO_ROOT / "ARCHITECTURE.md",
    REPO_ROOT / "CHANGELOG.md",
    REPO_ROOT / "emulator" / "README.md",
    REPO_ROOT / "bench" / "README.md",
    *sorted((REPO_ROOT / "examples").glob("*/README.md")),
]
#: README.md's length limit: the rest of the guide goes to docs/.
README_MAX_LINES = 200

#: Argument classes documented in a table row ``| `Class` | fields | rules |``.
ROW_CLASSES = [
    "JobPreparationTask",
    "JobManagerTask",
    "BatchTaskArgs",
    "TaskDependencies",
    "TaskIdRange",
    "ResourceFile",
    "EnvironmentSetting",
    "MetadataItem",
    "UserIdentity",
    "AutoUserSpecification",
    "TaskContainerSettings",
    "ContainerRegistry",
    "ContainerHostBatchBindMountEntry",
    "ComputeNodeIdentityReference",
    "TaskConstraints",
    "JobConstraints",
    "JobSpecification",
    "PoolInformation",
    "AutoPoolSpecification",
]
#: Argument classes with their own heading and one table row per field.
HEADING_CLASSES = ["BatchJobArgs", "JobReleaseTask", "BatchJobScheduleArgs", "Schedule"]


def section(title: str, doc: Path | None = None) -> str:
    """The text under the heading whose title is ``title``, up to the next heading, from
    the one file of the guide that has it (``doc``, when given, must be that file)."""
    pattern = re.compile(rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ |\Z)", re.M | re.S)
    found = [(path, m) for path in GUIDE for m in pattern.finditer(path.read_text())]
    assert found, f"no heading {title!r} in README.md or docs/"
    assert len(found) == 1, f"heading {title!r} in {[rel(path) for path, _ in found]}"
    path, match = found[0]
    assert doc is None or path == doc, f"heading {title!r} is in {rel(path)}, not {rel(doc)}"
    return match.group(1)


def rel(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def backticked(text: str) -> set[str]:
    return set(re.findall(r"`([^`\n]+)`", text))


def field_names(class_name: str) -> list[str]:
    return [f.attr for f in getattr(pkg, class_name).fields()]


def test_doctests_run() -> None:
    attempted = 0
    for path in GUIDE:
        result = doctest.testfile(
            str(path),
            module_relative=False,
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
            verbose=False,
        )
        assert result.failed == 0, rel(path)
        attempted += result.attempted
    assert attempted >= 10


def test_quickstart_block_is_the_quickstart_example() -> None:
    blocks = re.findall(r"```python\n(.*?)```", section("Quickstart", README), re.S)
    program = (REPO_ROOT / "examples" / "quickstart" / "__main__.py").read_text()
    assert blocks and blocks[0] == program


def test_every_argument_class_and_field_is_documented() -> None:
    documented = {"BatchJob", "BatchJobSchedule", *ROW_CLASSES, *HEADING_CLASSES}
    classes = {
        name
        for name in pkg.__all__
        if inspect.isclass(getattr(pkg, name))
        and issubclass(getattr(pkg, name), msrest.BatchModel)
        and getattr(pkg, name) is not msrest.BatchModel
    }
    assert classes <= documented
    for name in HEADING_CLASSES:
        rows = re.findall(r"^\| `(\w+)` \|", section(f"`{name}`"), re.M)
        assert sorted(rows) == sorted(field_names(name)), name
    table = section("Tasks and building blocks")
    for name in ROW_CLASSES:
        row = re.search(rf"^\| `{name}` \| (.*?) \|", table, re.M)
        assert row, name
        assert set(re.findall(r"`(\w+)`", row.group(1))) == set(field_names(name)), name


@pytest.mark.parametrize("name", HEADING_CLASSES)
def test_field_tables_are_the_declared_rules(name: str) -> None:
    """A heading class's table is rendered from its declarations: one row per field, the
    field's declared rules as its text (the schema describes the field with the same)."""
    rows = dict(re.findall(r"^\| `(\w+)` \| (.*) \|$", section(f"`{name}`"), re.M))
    declared = {f.attr: f.rules for f in getattr(pkg, name).fields()}
    assert rows == declared


@pytest.mark.parametrize("resource", [BatchJob, BatchJobSchedule], ids=lambda r: r.__name__)
def test_resource_settings_are_documented(resource: type[Any]) -> None:
    settings = [
        p.name
        for p in inspect.signature(resource.__init__).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    assert backticked(section(f"`{resource.__name__}`")) >= set(settings)


def test_update_or_replace_table_is_the_diff_plan() -> None:
    rows: dict[str, set[str]] = {}
    for line in section("Update or replace").splitlines():
        if not line.startswith("| `"):
            continue
        changed, effect = line.strip("| ").split(" | ", 1)
        kind = (
            "patch"
            if "PATCH" in effect
            else "pool"
            if effect.startswith("updated in place:")
            else "setting"
            if effect.startswith("no request")
            else "replace"
            if effect.startswith("**replace**")
            else effect
        )
        rows[kind] = set(re.findall(r"`(\w+)`", changed))
    assert rows["patch"] == set(PATCHABLE)
    assert rows["pool"] == set(PATCHABLE_WHILE_DISABLED)
    # auto_name_prefix is internal: the resource name, set by BatchJob itself.
    assert rows["setting"] == set(RESOURCE_SETTINGS) - {"auto_name_prefix"}
    job_fields = {f.attr for f in BatchJobArgs.fields()}
    replaced = job_fields - set(PATCHABLE) - set(PATCHABLE_WHILE_DISABLED)
    # The account's endpoint and name are inputs the diff plan does not exempt.
    assert rows["replace"] == replaced | {"endpoint", "account_name"}
    assert set(rows) == {"patch", "pool", "setting", "replace"}


def test_examples_table_lists_every_example() -> None:
    folders = {p.name for p in (REPO_ROOT / "examples").iterdir() if p.is_dir()}
    linked = set(re.findall(r"\]\(examples/([\w-]+)\)", section("Examples", README)))
    assert linked == folders


def test_setup_commands_are_the_run_script() -> None:
    setup = section("Set-up: two commands", README)
    assert "./run demo" in setup and "./run test" in setup
    script = (REPO_ROOT / "run").read_text()
    assert "demo) tools/bootstrap.sh &&" in script and "test) tools/bootstrap.sh &&" in script


def test_emulator_flags_exist() -> None:
    parser = cli._parser()
    subparsers = parser._subparsers
    assert subparsers is not None
    choices = subparsers._group_actions[0].choices
    assert isinstance(choices, dict)
    serve = choices["serve"]
    known = {opt for action in serve._actions for opt in action.option_strings}
    flags = set(re.findall(r"(--[a-z][a-z-]+)", section("The emulator")))
    assert flags and flags <= known


@pytest.mark.parametrize(
    "quoted",
    re.findall(r"^- \*\*`([^`]+)`\*\*", section("Troubleshooting"), re.M),
)
def test_troubleshooting_quotes_real_messages(quoted: str) -> None:
    sources = [
        *(REPO_ROOT / "components" / "pulumi_azure_batch_jobs").rglob("*.py"),
        *(REPO_ROOT / "emulator" / "batch_emulator").rglob("*.py"),
    ]
    # The provider reports rules with the schema's property names (``wire_text``).
    texts = [path.read_text() for path in sources]
    assert any(quoted in text or quoted in wire_text(text) for text in texts), quoted


def test_readme_is_short_and_links_every_doc() -> None:
    text = README.read_text()
    assert len(text.splitlines()) <= README_MAX_LINES
    linked = {target.split("#")[0] for target in links(text)}
    assert {rel(path) for path in GUIDE[1:]} <= linked


FENCED = re.compile(r"^```.*?^```", re.M | re.S)
LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")


def links(text: str) -> list[str]:
    """The targets of the markdown links outside code blocks."""
    return LINK.findall(FENCED.sub("", text))


def anchors(path: Path) -> set[str]:
    """The ids GitHub gives the headings of a markdown file."""
    seen: dict[str, int] = {}
    for title in re.findall(r"^#+ (.+)$", FENCED.sub("", path.read_text()), re.M):
        slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        if count:
            seen[f"{slug}-{count}"] = 1
    return set(seen)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=rel)
def test_links_point_at_files_of_the_repository(doc: Path) -> None:
    for target in links(doc.read_text()):
        leaves = f"{rel(doc)}: {target} leaves the repository"
        assert not re.match(r"[a-z][a-z+.-]*:", target), leaves
        name, _, anchor = target.partition("#")
        path = (doc.parent / name).resolve() if name else doc
        assert path.is_relative_to(REPO_ROOT), leaves
        assert path.exists(), f"{rel(doc)}: {target} does not exist"
        if anchor and path.suffix == ".md":
            assert anchor in anchors(path), f"{rel(doc)}: {target} has no such heading"


#: Relative paths a doc quotes from another directory: the path, and where it starts.
QUOTED_FROM = {"../../.venv/bin": "examples/quickstart"}


@pytest.mark.parametrize("doc", DOCUMENTS, ids=rel)
def test_no_doc_refers_to_a_document_outside_the_repository(doc: Path) -> None:
    """A path that climbs (``../``) stays in the repository and names something there, and
    every ``.md`` file a doc names is one of the repository's (no ``DESIGN.md`` of a
    neighbouring checkout)."""
    text = doc.read_text()
    for climbing in re.findall(r"(?<![\w./])((?:\.\./)+[\w.<>$/-]*)", text):
        climbing = climbing.rstrip(".")
        start = REPO_ROOT / QUOTED_FROM[climbing] if climbing in QUOTED_FROM else doc.parent
        path = (start / climbing).resolve()
        assert path.is_relative_to(REPO_ROOT), f"{rel(doc)}: {climbing} leaves the repository"
        assert path.exists(), f"{rel(doc)}: {climbing} is not in the repository"
    for name in re.findall(r"(?<![\w./-])([\w./-]*\w\.md)\b", text):
        candidates = [doc.parent / name, REPO_ROOT / name]
        assert any(c.resolve().is_relative_to(REPO_ROOT) and c.exists() for c in candidates), (
            f"{rel(doc)}: {name} is not a document of the repository"
        )
