"""A clearly fictional demo federation for `manage.py seed_demo`.

Everything lives in this package (no files outside the repository):
`content` holds the hand-written federation, networks, settlements,
organisations and partnerships; `people` generates the members
deterministically; `loader` writes it all with the ORM, idempotently.

No real people: every email address is @example.org (a reserved domain),
phone numbers come from Ofcom's ranges reserved for drama, and every
address is marked "(demo)".
"""

from .loader import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo  # noqa: F401
