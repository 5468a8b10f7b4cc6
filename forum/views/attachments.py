"""Attachments: the editor's upload (JSON), the image and its thumbnail served to those
who may see the post, and the file field of the post forms."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from forum import ratelimit, selectors, services
from forum.forms import AttachmentForm
from forum.permissions import check_upload_attachment

# A public post's image may be kept by browsers and shared caches for a few minutes: long
# enough to spare repeated requests, short enough that hiding a post takes it away soon.
PUBLIC_MAX_AGE = 300


@require_POST
@ratelimit.spends_budget
def attachment_upload(request):
    """The editor's upload (button, drag-and-drop, paste): multipart POST with the CSRF
    token; answers JSON with the Markdown to insert, or the reason it was refused."""
    try:
        check_upload_attachment(request.user)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        error = form.errors.get("image_alt") or [
            _("Choose an image file to attach — your text is kept.")
        ]
        return JsonResponse({"error": error[0]}, status=400)
    try:
        attachment = services.attachment_create(
            uploader=request.user,
            upload=form.cleaned_data["image"],
            alt_text=form.cleaned_data["image_alt"],
        )
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    return JsonResponse(
        {
            "id": attachment.pk,
            "url": attachment.get_absolute_url(),
            "thumbnail_url": attachment.get_thumbnail_url(),
            "alt": attachment.alt_text,
            "markdown": services.markdown_for(attachment),
        },
        status=201,
    )


def _serve(request, attachment_id: int, *, thumbnail: bool):
    found = selectors.attachment_get_for_user(user=request.user, attachment_id=attachment_id)
    attachment = found.attachment
    stored = attachment.thumbnail if thumbnail else attachment.image
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404("No such attachment.") from None
    extension = stored.name.rsplit(".", 1)[-1]
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = f'inline; filename="attachment-{attachment.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    if found.public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        # Only this reader may see it: no shared cache keeps it, and the browser asks again.
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
    return response


@require_GET
def attachment_image(request, attachment_id: int):
    return _serve(request, attachment_id, thumbnail=False)


@require_GET
def attachment_thumbnail(request, attachment_id: int):
    return _serve(request, attachment_id, thumbnail=True)


def body_with_image(request, form, body: str) -> str:
    """The body with the image attached through the form's file field (browsers without
    JavaScript) written in as Markdown; ValidationError on ``image`` when refused."""
    upload = form.cleaned_data.get("image")
    if not upload:
        return body
    attachment = services.attachment_create(
        uploader=request.user, upload=upload, alt_text=form.cleaned_data.get("image_alt", "")
    )
    return f"{body.rstrip()}\n\n{services.markdown_for(attachment)}\n"
