"""Change requests from anyone, reviewed by coordinators. Being written."""


def submit_change_request(*, actor, meeting, data):
    raise NotImplementedError


def apply_change_request(*, actor, change_request, value=None):
    raise NotImplementedError


def decline_change_request(*, actor, change_request, reason):
    raise NotImplementedError
