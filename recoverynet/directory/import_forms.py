"""Forms for Meeting Guide feed sources and imports (/manage/directory/imports/)."""

from django import forms

from recoverynet.federation.forms import formfield

from . import safe_fetch
from .models import FeedSource
from .services.feeds import MAX_PAYLOAD_BYTES


class FeedSourceForm(forms.ModelForm):
    class Meta:
        model = FeedSource
        formfield_callback = formfield
        fields = ["name", "url", "default_fellowship", "scheduled"]
        labels = {
            "name": "Name of the feed",
            "url": "Feed address (optional)",
            "default_fellowship": "Fellowship of its meetings",
            "scheduled": "Re-import every night",
        }
        help_texts = {
            "name": "For example, the intergroup or website it comes from.",
            "url": "The address of a Meeting Guide JSON feed, for example https://example.org/meetings.json.",
            "default_fellowship": "The feed does not say which fellowship a meeting belongs to.",
            "scheduled": "We fetch the address every night and email the network's coordinators what changed.",
        }

    def clean_url(self):
        """The fetch checks every hop anyway; this tells the coordinator at once
        about an address that could never be fetched (no name is looked up here)."""
        url = self.cleaned_data.get("url")
        if url:
            safe_fetch.check_address_syntax(url)
        return url

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scheduled") and not cleaned.get("url"):
            self.add_error("url", "Enter the feed's address to re-import it every night.")
        return cleaned


class ImportForm(forms.Form):
    UPLOAD, FETCH = "upload", "fetch"

    method = forms.ChoiceField(
        label="Where is the feed?",
        widget=forms.RadioSelect,
        choices=[(UPLOAD, "Upload a file"), (FETCH, "Fetch it from its address")],
        initial=UPLOAD,
    )
    file = forms.FileField(
        label="Meeting Guide JSON file",
        required=False,
        help_text="A .json file of at most 20 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        if not source.url:
            self.fields["method"].choices = [(self.UPLOAD, "Upload a file")]
            self.fields["method"].help_text = "Give the feed an address to fetch it from there."
        else:
            self.fields["method"].choices = [
                (self.UPLOAD, "Upload a file"),
                (self.FETCH, f"Fetch it from {source.url}"),
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == self.UPLOAD:
            upload = cleaned.get("file")
            if not upload:
                self.add_error("file", "Choose a Meeting Guide JSON file.")
            elif upload.size == 0:
                self.add_error("file", "The file is empty.")
            elif upload.size > MAX_PAYLOAD_BYTES:
                self.add_error("file", "The file must be smaller than 20 MB.")
        return cleaned

    def payload(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read()
