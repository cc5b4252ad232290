"""`made_at_the_same_moment` turns "someone made this row a moment ago" into the
service's own message, whichever check noticed, and lets every other error through."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from recoverynet.core.services import made_at_the_same_moment

MESSAGE = ValidationError({"name": "That name was taken a moment ago."})


@pytest.mark.parametrize(
    "raised",
    [
        IntegrityError("duplicate key value violates unique constraint"),
        ValidationError({"__all__": [ValidationError("Row with A and B exists.", code="unique_together")]}),
        ValidationError({"__all__": [ValidationError("Row with this Slug already exists.", code="unique")]}),
        ValidationError("Row with this A and B already exists.", code="unique_together"),
    ],
)
def test_a_duplicate_becomes_the_services_message(raised):
    with pytest.raises(ValidationError) as caught, made_at_the_same_moment(MESSAGE):
        raise raised
    assert caught.value is MESSAGE


@pytest.mark.parametrize(
    "raised",
    [
        ValidationError({"name": ["This field cannot be blank."]}),
        ValidationError({"__all__": [ValidationError("Ends before it starts.", code="invalid")]}),
        ValidationError(
            {
                "__all__": [
                    ValidationError("Row with this A and B already exists.", code="unique_together"),
                    ValidationError("Ends before it starts.", code="invalid"),
                ]
            }
        ),
        ValidationError("Something else.", code="invalid"),
    ],
)
def test_other_errors_pass_through_unchanged(raised):
    with pytest.raises(ValidationError) as caught, made_at_the_same_moment(MESSAGE):
        raise raised
    assert caught.value is raised


def test_a_field_error_beside_a_duplicate_is_not_hidden():
    raised = ValidationError(
        {
            "__all__": [ValidationError("Row with this A and B already exists.", code="unique_together")],
            "name": ["This field cannot be blank."],
        }
    )
    with pytest.raises(ValidationError) as caught, made_at_the_same_moment(MESSAGE):
        raise raised
    assert caught.value is raised
