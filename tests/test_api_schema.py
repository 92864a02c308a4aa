"""Schemathesis against /api/ in-process (WSGI) on the real bundled documents: whatever the arguments, the API never
answers with a server error, and every answer is one its OpenAPI description allows (status, content type, body).
Arguments the description rules out (out of bounds, of the wrong type, not in an enum) must be refused with a 4xx.

Each operation runs schemathesis's three phases: the explicit examples of the description (a real action id, plan,
theme and owner, which tests/test_api.py checks answer 200), the coverage cases (each bound, enum value and type
mistake) and bounded random fuzzing, derandomized so a failure in CI is a failure on every run.

The schema is loaded from `openapi_spec()` itself, not fetched from the app: schemathesis needs it at collection
time, before any fixture has built a store, and `schemathesis.pytest.from_fixture` (4.32.5) fails under pytest 9.2
(it reads `request.node._nodeid`, which pytest 9.2 removed). The app is a fixture passed to each call, and
tests/test_api.py checks that /api/openapi.json serves exactly this dict.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from web.openapi import openapi_spec

# Schemathesis's default checks, less positive_data_acceptance (a well-formed filter value the corpus does not hold,
# council=Atlantis, is rightly a 400) and the auth and resource checks (the API has neither).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

schema = schemathesis.openapi.from_dict(openapi_spec())


@schema.parametrize()
@settings(
    max_examples=40,  # per operation, for the fuzzing phase; the examples and coverage phases are not counted
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_api_answers_as_described(case, app):
    case.call_and_validate(app=app, checks=CHECKS)
