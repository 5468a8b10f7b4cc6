"""Images attached to posts. An upload comes before its post exists (the editor uploads
while the member types), so ``post`` is empty until the post that names it is saved;
an upload never attached is removed by ``attachments_delete_orphans``."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from forum.models.posts import Post


def _image_path(instance, filename: str) -> str:
    return f"attachments/{filename}"


class Attachment(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="attachments", null=True, blank=True
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attachments"
    )
    # Random names chosen by the service (never the uploaded name); the bytes are the
    # re-encoded image, without its metadata.
    image = models.FileField(upload_to=_image_path, max_length=200)
    thumbnail = models.FileField(upload_to=_image_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveIntegerField()
    content_type = models.CharField(max_length=32)
    alt_text = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The orphan sweep: uploads still without a post, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(post__isnull=True),
                name="attachment_orphan_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Attachment {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("forum:attachment", kwargs={"attachment_id": self.pk})

    def get_thumbnail_url(self) -> str:
        return reverse("forum:attachment-thumbnail", kwargs={"attachment_id": self.pk})
