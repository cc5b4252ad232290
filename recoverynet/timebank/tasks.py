"""Scheduled work for the time bank (Django's tasks framework, django-tasks).

`auto_confirm_exchanges()` reminds receivers of exchanges about to confirm
themselves and confirms those waiting TIMEBANK_AUTO_CONFIRM_DAYS
(services.auto_confirm_due: as the system, audited, each exchange in its own
locked transaction, so running it twice or twice at once does nothing twice).

`manage.py timebank_auto_confirm` enqueues it; run that daily from cron or a
systemd timer (docs/deployment.md). With the default ImmediateBackend the work
happens inside the command.
"""

import logging

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


@task()
def auto_confirm_exchanges() -> dict:
    result = services.auto_confirm_due()
    logger.info(
        "Time bank: %(reminded)s reminded, %(confirmed)s confirmed automatically, %(held)s held, "
        "%(closed)s accounts closed for withdrawn consent",
        result,
    )
    return result
