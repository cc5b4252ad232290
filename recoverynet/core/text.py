"""Small rules for the words the site writes around names, times and places."""

SENTENCE_ENDS = (".", "!", "?", "…")


def sentence(text) -> str:
    """`text` ending with one full stop: "Morgan T." and "6 p.m." already have theirs."""
    text = str(text).rstrip()
    return text if text.endswith(SENTENCE_ENDS) else f"{text}."
