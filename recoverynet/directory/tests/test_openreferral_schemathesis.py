"""Schemathesis over /openreferral/, against the Open Referral UK 3.0 standard's
own OpenAPI description (bundled: directory/data/openreferral-uk-3.0/openapi.json,
its remote schema references bundled from the local copies: no network).

The standard documents only each operation's 200, so the checks are: never a
server error, and every documented response (every 200) matches the
standard's schema. Our 400s and 404s for bad parameters and unknown ids are
checked in test_openreferral.py and core/tests/test_api_errors.py.

As core/tests/test_schemathesis.py, half its SCHEMATHESIS_EXAMPLES examples
per operation and mode (5 by default: each list answer is large), derandomised,
no deadline, in-process."""

import copy
import json
import os

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from recoverynet.testing import run_schemathesis

from .test_openreferral import (  # noqa: F401 (fixtures)
    STANDARD_DIR,
    directory,
    places,
)

SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"
EXAMPLES = max(1, int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10")) // 2)
CHECKS = [not_a_server_error, response_schema_conformance]

pytestmark = pytest.mark.django_db


def _component(name):
    return "#/components/schemas/" + name.removesuffix(".json")


def _rewrite_refs(node, own_name):
    """Point every $ref at the bundled component: the standard's URLs, and a
    schema file's own "#/definitions/..." (relative to that file)."""
    if isinstance(node, list):
        return [_rewrite_refs(item, own_name) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("$id", "$schema"):
            continue
        if key == "$ref" and isinstance(value, str):
            target, _, fragment = value.partition("#")
            if target.startswith(SCHEMA_BASE):
                value = _component(target.removeprefix(SCHEMA_BASE)) + fragment
            elif not target and own_name and fragment.startswith("/definitions/"):
                value = _component(own_name) + fragment
        out[key] = _rewrite_refs(value, own_name)
    return out


def bundled_standard():
    """The standard's OpenAPI description with its schemas inlined, mounted at /openreferral."""
    raw = json.loads((STANDARD_DIR / "openapi.json").read_text(encoding="utf-8"))
    bundle = _rewrite_refs(copy.deepcopy(raw), None)
    schemas = bundle.setdefault("components", {}).setdefault("schemas", {})
    for path in sorted((STANDARD_DIR / "schema").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.stem] = _rewrite_refs(contents, path.name)
    bundle["paths"] = {"/openreferral" + path: item for path, item in raw["paths"].items()}
    bundle["paths"] = _rewrite_refs(bundle["paths"], None)
    # Its schemas are JSON Schema 2020-12 (jsonSchemaDialect), which is OpenAPI 3.1.
    bundle["openapi"] = "3.1.0"
    return bundle


@pytest.fixture
def standard(wsgi_app):
    schema = schemathesis.openapi.from_dict(bundled_standard())
    schema.app = wsgi_app
    return schema


def real_ids(directory):  # noqa: F811 (the fixture's value)
    return {
        "services": str(directory["service"].uuid),
        "organizations": str(directory["org"].uuid),
        "service_at_locations": str(directory["sal"].uuid),
        "taxonomies": str(directory["taxonomy"].uuid),
        "taxonomy_terms": str(directory["child"].uuid),
    }


def test_every_operation_of_the_standard_never_fails_and_matches_it(standard, directory, places):  # noqa: F811
    operations = [result.ok() for result in standard.get_all_operations()]
    assert len(operations) == 11
    ids = real_ids(directory)
    for operation in operations:
        runs = [None]
        if "{id}" in operation.path:
            runs.append({"id": ids[operation.path.removeprefix("/openreferral/").split("/")[0]]})
        for path_parameters in runs:
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                run_schemathesis(
                    operation, mode=mode, path_parameters=path_parameters, examples=EXAMPLES, checks=CHECKS
                )
