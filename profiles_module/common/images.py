"""Profile photos: size limit, resizing and metadata stripping."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from profiles_module.conf import app_settings


def validate_photo_size(photo):
    """Refuse oversized uploads in form validation, before any decoding."""
    if photo and photo.size > app_settings.PHOTO_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This photo is too large (%(size)d MB at most)."),
            code="photo_too_large",
            params={"size": app_settings.PHOTO_MAX_UPLOAD_BYTES // (1024 * 1024)},
        )


def resize_photo(uploaded):
    """Return a JPEG copy of the upload, at most PHOTO_MAX_SIZE wide or high.

    Re-encoding drops every metadata block (EXIF GPS position, camera serial…),
    which a household would not expect to publish with its photo.
    """
    validate_photo_size(uploaded)
    try:
        image = Image.open(uploaded)
        image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("This file is not an image."), code="not_an_image") from error
    image = image.convert("RGB")
    size = app_settings.PHOTO_MAX_SIZE
    image.thumbnail((size, size))
    output = BytesIO()
    image.save(output, format="JPEG", quality=85, optimize=True)
    return ContentFile(output.getvalue())
