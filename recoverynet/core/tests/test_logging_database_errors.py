"""Database error messages quote the offending values; they never reach logs
or error reports."""

import logging
import sys

import pytest
from django.db import IntegrityError
from django.test import RequestFactory

from recoverynet.core.logging import WITHHELD, PersonalDataSafeExceptionReporter, WithholdDatabaseErrorDetails

# Built in pieces so the report's source-code context lines cannot contain it.
SECRET = "Key (email)=(" + "jo" + "." + "bloggs@example.org) already exists."


def _raise_chained():
    try:
        raise ValueError(SECRET)  # stands in for the driver's own error
    except ValueError as driver_error:
        raise IntegrityError(SECRET) from driver_error


def _exc_info():
    try:
        _raise_chained()
    except IntegrityError:
        return sys.exc_info()


def test_log_records_withhold_database_messages_and_their_causes():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), _exc_info())
    assert WithholdDatabaseErrorDetails().filter(record) is True
    formatted = logging.Formatter().format(record)
    assert "jo.bloggs" not in formatted
    assert WITHHELD in formatted
    assert "IntegrityError" in formatted


def test_other_exceptions_are_logged_unchanged():
    try:
        raise KeyError("settlement")
    except KeyError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    WithholdDatabaseErrorDetails().filter(record)
    assert "settlement" in logging.Formatter().format(record)


@pytest.mark.django_db
def test_error_report_withholds_database_messages():
    request = RequestFactory().get("/somewhere/")
    exc_type, exc_value, tb = _exc_info()
    reporter = PersonalDataSafeExceptionReporter(request, exc_type, exc_value, tb)
    assert "jo.bloggs" not in reporter.get_traceback_text()
    assert "jo.bloggs" not in reporter.get_traceback_html()
