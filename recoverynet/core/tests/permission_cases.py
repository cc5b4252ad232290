"""Who may use core's pages: the statements every site has, the API's
description, the audit log, and the queue of members' reports from every app."""

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
    # Every coordinator has a queue: their own networks' reports (the federation's: all of them).
    "core:reports": Case(COORDINATORS),
}

API_CASES = {
    "api-root": Case(ALL),
}
