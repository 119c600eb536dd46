"""Resource files: fetched into the task's working directory before the command runs."""

from __future__ import annotations

import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

__all__ = ["ResourceFileError", "download_all"]

_TIMEOUT = 30.0


class ResourceFileError(Exception):
    """A resource file could not be fetched; the task fails before it starts."""


def _fetch(url: str, target: Path, mode: str | None) -> None:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in {"http", "https"}:
        raise ResourceFileError(f"unsupported URL scheme {scheme!r} in {url}")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:  # noqa: S310
            target.write_bytes(response.read())
    except OSError as error:
        raise ResourceFileError(f"downloading {url} failed: {error}") from error
    if mode is not None:
        target.chmod(int(str(mode), 8))


def _inside(wd: Path, relative: str) -> Path:
    target = (wd / relative).resolve()
    if not target.is_relative_to(wd.resolve()):
        raise ResourceFileError(f"file path {relative!r} leaves the working directory")
    return target


def _container(wd: Path, rf: dict[str, Any]) -> None:
    """List a storage container (Blob service list API) and fetch every blob in it."""
    base, _, sas = str(rf["storageContainerUrl"]).partition("?")
    query = "restype=container&comp=list"
    if rf.get("blobPrefix"):
        query += "&prefix=" + urllib.parse.quote(str(rf["blobPrefix"]))
    listing = f"{base}?{query}" + (f"&{sas}" if sas else "")
    try:
        with urllib.request.urlopen(listing, timeout=_TIMEOUT) as response:  # noqa: S310
            root = ET.fromstring(response.read())  # noqa: S314 - the user's own container
    except (OSError, ET.ParseError) as error:
        raise ResourceFileError(f"listing {base} failed: {error}") from error
    prefix = str(rf.get("filePath", ""))
    for name in (n.text or "" for n in root.iter("Name")):
        url = f"{base.rstrip('/')}/{urllib.parse.quote(name)}" + (f"?{sas}" if sas else "")
        _fetch(url, _inside(wd, str(Path(prefix) / name)), rf.get("fileMode"))


def download_all(wd: Path, resource_files: list[dict[str, Any]]) -> None:
    """Fetch every resource file into ``wd`` (raises :class:`ResourceFileError`)."""
    for rf in resource_files:
        if "httpUrl" in rf:
            path = str(rf.get("filePath") or Path(urllib.parse.urlsplit(rf["httpUrl"]).path).name)
            _fetch(str(rf["httpUrl"]), _inside(wd, path), rf.get("fileMode"))
        elif "storageContainerUrl" in rf:
            _container(wd, rf)
        else:
            raise ResourceFileError(
                "autoStorageContainerName needs an auto-storage account, which the emulator "
                "does not have"
            )
