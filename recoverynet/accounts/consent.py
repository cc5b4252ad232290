"""The wording people agree to, versioned. Changing a text means a new
version: records keep the version the person actually saw."""

from dataclasses import dataclass

from .models import ConsentPurpose


@dataclass(frozen=True)
class Wording:
    version: str
    text: str


CURRENT_WORDING = {
    ConsentPurpose.CONTACT: Wording(
        "2026-11-v1",
        "The coordinators of my networks and settlements may see my email address and contact me about "
        "meetings, projects and opportunities.",
    ),
    ConsentPurpose.OUTCOME_MEASUREMENT: Wording(
        "2026-11-v1",
        "My answers to recovery capital questionnaires may be used, without my name, to measure how the "
        "network is doing against its nine outcomes.",
    ),
    ConsentPurpose.RESEARCH: Wording(
        "2026-11-v1",
        "Information about me, with my name and contact details removed, may be shared with approved "
        "research projects about recovery.",
    ),
    ConsentPurpose.STORY_PUBLICATION: Wording(
        "2026-11-v1",
        "Recovery stories and achievements I choose to share may be published on RecoveryNet under my display name.",
    ),
    ConsentPurpose.REFERRAL_SHARING: Wording(
        "2026-11-v1",
        "When I am referred between a treatment service and the recovery community, the people involved "
        "may share the details needed for the referral.",
    ),
    # Given on the time bank's join page (and withdrawn by leaving it); see recoverynet/timebank.
    ConsentPurpose.TIME_BANK: Wording(
        "2026-12-v1",
        "If I join a network's time bank, the members I exchange time with and the network's coordinators "
        "may see my display name and my exchanges with them (how long, what for, when, and whether confirmed "
        "or disputed), and RecoveryNet may email me about exchanges waiting for my confirmation or disputed. "
        "My email address and phone number are not shown to other members.",
    ),
}


def current_wording(purpose) -> Wording:
    return CURRENT_WORDING[ConsentPurpose(purpose)]
