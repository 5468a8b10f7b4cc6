import zoneinfo

from django import forms

from accounts.models import BIO_MAX, DISPLAY_NAME_MAX


def _time_zone_choices():
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [(zone, zone.replace("_", " ")) for zone in zones]


class ProfileForm(forms.Form):
    """Length is checked by the service, not by a maxlength attribute, so nothing a person
    pastes is cut off silently."""

    display_name = forms.CharField(
        required=False,
        label="Display name",
        help_text=f"Shown next to your posts instead of your username. Up to {DISPLAY_NAME_MAX} "
        "characters.",
    )
    bio = forms.CharField(
        required=False,
        label="About you",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"A few words for your public profile. Up to {BIO_MAX} characters.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=_time_zone_choices,
        initial="UTC",
        help_text="Dates and times we send you (for example when a block ends) use this zone.",
    )
