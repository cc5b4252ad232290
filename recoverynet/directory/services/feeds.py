"""Meeting Guide JSON imports: preview (dry run) and apply. Being written."""


def preview_import(*, actor, source, payload):
    raise NotImplementedError


def apply_import(*, actor, source, payload):
    raise NotImplementedError
