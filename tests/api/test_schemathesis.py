"""Property-based fuzzing of every documented operation (bounded examples, fakes): no 500s."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from api import Services, create_app
from core import Settings

schemathesis = pytest.importorskip("schemathesis")
checks = pytest.importorskip("schemathesis.specs.openapi.checks")
from schemathesis.checks import not_a_server_error  # noqa: E402


def _fakes():
    # Same module object as conftest's (cached under one name in sys.modules).
    name = "api_test_fakes"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fakes.py"))
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _app():
    # Built at collection (schemathesis' lazy fixture loader does not work with this pytest):
    # cheap, no I/O beyond a temp folder, and the fakes skip the real stages' loading.
    fakes = _fakes()
    corpus = fakes.build_corpus()
    services = Services(corpus, fakes.FakeSearcher(corpus), fakes.FakeAnswerer(corpus))
    # A folder of its own: fuzzed `new_conversation` requests write the conversation file there.
    return create_app(Settings(data_dir=Path(tempfile.mkdtemp())), services=services)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors_and_documented_responses(case):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
        ]
    )
