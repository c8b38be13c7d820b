"""Browser bundles: the build is reproducible and the manifest vouches for the served bytes."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from election.paths import ASSET_MANIFEST, DIST_DIR
from election.web import assets

REPO_ROOT = Path(__file__).resolve().parents[2]


def _sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _build_in(workdir: Path) -> dict[str, bytes]:
    """Copy the build inputs into `workdir`, build there and return the output files."""
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH; it is needed to build the browser bundles")
    node_modules = REPO_ROOT / "node_modules"
    if not (node_modules / "esbuild").is_dir():
        pytest.fail("node_modules/esbuild is missing: run `make setup` (it runs `npm ci`)")
    shutil.copytree(REPO_ROOT / "scripts", workdir / "scripts")
    shutil.copytree(REPO_ROOT / "election/static/js", workdir / "election/static/js")
    shutil.copytree(REPO_ROOT / "election/static/css", workdir / "election/static/css")
    shutil.copy(REPO_ROOT / "package.json", workdir / "package.json")
    (workdir / "node_modules").symlink_to(node_modules)
    subprocess.run(["node", "scripts/build-js.mjs"], cwd=workdir, check=True, capture_output=True)
    dist = workdir / "election/static/dist"
    return {path.name: path.read_bytes() for path in sorted(dist.iterdir())}


def test_build_is_reproducible(tmp_path: Path) -> None:
    # Two builds in two different directories: equal bytes also shows that no absolute
    # path or timestamp leaks into the bundles.
    first = _build_in(tmp_path / "one")
    second = _build_in(tmp_path / "a-different-checkout")
    assert first == second
    # T-11.a: the booth's published hash (its SRI in the manifest) is the same on both builds.
    assert json.loads(first["manifest.json"])["booth.js"].startswith("sha384-")
    assert first["manifest.json"] == second["manifest.json"]
    assert "app.js" in first
    assert not any(name.endswith(".map") for name in first)
    manifest = json.loads(first["manifest.json"])
    assert set(manifest) == {name for name in first if name.endswith((".js", ".css"))}
    assert "booth.css" in manifest
    for name, integrity in manifest.items():
        assert integrity == _sri(first[name])
    assert b"/tmp/" not in b"".join(first.values())


def test_repository_manifest_matches_built_files() -> None:
    manifest = assets.load_manifest(ASSET_MANIFEST)
    assert "app.js" in manifest
    for name, integrity in manifest.items():
        assert integrity == _sri((DIST_DIR / name).read_bytes()), (
            f"{name} changed since the manifest was written: run `npm run build`"
        )


def test_asset_tag(app: Flask) -> None:
    with app.test_request_context("/"):
        tag = str(assets.asset("app.js"))
    integrity = assets.load_manifest(ASSET_MANIFEST)["app.js"]
    assert tag == (
        f'<script type="module" src="/static/dist/app.js" integrity="{integrity}"'
        ' crossorigin="anonymous"></script>'
    )


def test_pinned_stylesheet_tag(app: Flask) -> None:
    # T-11.b: the booth's stylesheet is pinned like its code, and is the file in css/.
    with app.test_request_context("/"):
        tag = str(assets.asset("booth.css"))
    integrity = assets.load_manifest(ASSET_MANIFEST)["booth.css"]
    assert tag == (
        f'<link rel="stylesheet" href="/static/dist/booth.css" integrity="{integrity}"'
        ' crossorigin="anonymous">'
    )
    source = REPO_ROOT / "election/static/css/booth.css"
    assert (DIST_DIR / "booth.css").read_bytes() == source.read_bytes(), "run `npm run build`"


def test_unknown_asset_warns_in_development(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    with app.test_request_context("/"):
        assert str(assets.asset("nope.js")) == ""
    assert "not built" in caplog.text


def test_malformed_manifest_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"app.js": "md5-abc"}', encoding="utf-8")
    with pytest.raises(assets.AssetError, match="sha384"):
        assets.load_manifest(manifest)
    manifest.write_text("not json", encoding="utf-8")
    with pytest.raises(assets.AssetError, match="unreadable"):
        assets.load_manifest(manifest)


def test_served_bundle_matches_its_integrity(app: Flask) -> None:
    integrity = assets.load_manifest(ASSET_MANIFEST)["app.js"]
    with app.test_client().get("/static/dist/app.js") as response:
        assert response.status_code == 200
        assert _sri(response.get_data()) == integrity


def test_unknown_asset_fails_in_production(make_app: Callable[..., Flask]) -> None:
    app = make_app(ENV="production")
    with app.test_request_context("/"), pytest.raises(assets.AssetError, match="nope.js"):
        assets.asset("nope.js")
