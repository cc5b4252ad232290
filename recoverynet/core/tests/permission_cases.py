"""Who may use core's pages: the statements every site has, the API's
description, and the audit log."""

from recoverynet.testing.permissions import ALL, COORDINATORS, Case

CASES = {
    "core:accessibility": Case(ALL),
    "core:healthz": Case(ALL),
    "core:api_reference": Case(ALL),
    "api-schema": Case(ALL),
    "api-docs": Case(ALL),
    "api-redoc": Case(ALL),
    "core:audit_list": Case(COORDINATORS),
    "core:audit_csv": Case(COORDINATORS, post=COORDINATORS),
}

API_CASES = {
    "api-root": Case(ALL),
}
