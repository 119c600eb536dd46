"""A tiny stack: one dynamic resource whose provider keeps a note in a local file."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider


class NoteProvider(ResourceProvider):
    """Writes ``text`` to ``path``; a change of ``path`` replaces, of ``text`` updates."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        Path(props["path"]).write_text(props["text"])
        return CreateResult(id_=uuid.uuid4().hex, outs={**props, "length": len(props["text"])})

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [k for k in ("path", "text") if olds.get(k) != news.get(k)]
        return DiffResult(changes=bool(changed), replaces=[k for k in changed if k == "path"])

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> Any:
        from pulumi.dynamic import UpdateResult

        Path(news["path"]).write_text(news["text"])
        return UpdateResult(outs={**news, "length": len(news["text"])})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        path = Path(props["path"])
        if not path.exists():
            return ReadResult(id_="", outs={})
        text = path.read_text()
        return ReadResult(id_=id_, outs={**props, "text": text, "length": len(text)})

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        Path(props["path"]).unlink(missing_ok=True)


class Note(Resource):
    length: pulumi.Output[int]
    text: pulumi.Output[str]

    def __init__(self, name: str, path: str, text: str) -> None:
        super().__init__(NoteProvider(), name, {"path": path, "text": text, "length": None})


config = pulumi.Config()
note = Note("note", config.require("path"), config.require("text"))
pulumi.export("length", note.length)
pulumi.export("text", note.text)
pulumi.export("meta", json.dumps({"stack": pulumi.get_stack()}))
