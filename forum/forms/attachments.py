"""Attaching an image: the editor's upload (JSON) and the plain file field every post
form carries for browsers without JavaScript. The checks on the image itself live in
forum.services.images, so both paths refuse the same files with the same words."""

from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPT = "image/png,image/jpeg,image/webp,image/gif"


def _image_field() -> forms.FileField:
    return forms.FileField(
        label=_("Attach an image"),
        required=False,
        allow_empty_file=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT, "class": "attach__file"}),
        help_text=_(
            "PNG, JPEG, WebP or GIF. It is shown in your post; details like the "
            "camera and location are removed."
        ),
    )


def _alt_field() -> forms.CharField:
    return forms.CharField(
        label=_("Describe the image"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "attach__alt"}),
        help_text=_(
            "For readers who cannot see it; write it before you attach. Left empty, the file "
            "name is used."
        ),
    )


class AttachmentFieldsMixin(forms.Form):
    image = _image_field()
    image_alt = _alt_field()


class AttachmentForm(forms.Form):
    image = forms.FileField(allow_empty_file=False)
    image_alt = forms.CharField(required=False, max_length=300)
