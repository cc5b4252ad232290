"""The subject-access export of a member's assessments (with every answer) and plan."""

from .models import Answer, Assessment, Goal


def export_assessments(user) -> list[dict]:
    assessments = list(
        Assessment.objects.filter(person=user).select_related("instrument", "network").order_by("started_at", "pk")
    )
    answers: dict = {}
    for answer in Answer.objects.filter(assessment__person=user).select_related("item").order_by("item__number"):
        answers.setdefault(answer.assessment_id, []).append(
            f"{answer.item.number}. {answer.item.text} = {answer.value}"
        )
    return [
        {
            "instrument": str(a.instrument),
            "network": a.network.name,
            "how": a.get_mode_display(),
            "started_at": a.started_at.isoformat(),
            "completed_at": a.completed_at.isoformat() if a.completed_at else "",
            "total_score": "" if a.total_score is None else a.total_score,
            "domain_scores": "; ".join(f"{k}: {v}" for k, v in sorted(a.domain_scores.items())),
            "answers": " | ".join(answers.get(a.pk, [])),
        }
        for a in assessments
    ]


def export_goals(user) -> list[dict]:
    return [
        {
            "domain": goal.get_domain_display(),
            "title": goal.title,
            "review_on": goal.review_on.isoformat() if goal.review_on else "",
            "created_at": goal.created_at.isoformat(),
            "completed_at": goal.completed_at.isoformat() if goal.completed_at else "",
            "steps": " | ".join(f"{'[done] ' if s.done else ''}{s.text}" for s in goal.steps.all()),
        }
        for goal in Goal.objects.filter(person=user).prefetch_related("steps").order_by("pk")
    ]
