from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .conf import app_settings


def resize_photo(uploaded):
    """Return a JPEG copy of the upload, at most PHOTO_MAX_SIZE wide or high.

    Re-encoding drops every metadata block (EXIF GPS position, camera serial…),
    which a household would not expect to publish with its photo.
    """
    if uploaded.size and uploaded.size > app_settings.PHOTO_MAX_UPLOAD_BYTES:
        raise ValidationError(_("This photo is too large."), code="photo_too_large")
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
