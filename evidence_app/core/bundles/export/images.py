"""Pictures without their metadata: re-encoded from pixels, so EXIF, XMP, IPTC, GPS, ICC and
comment blocks cannot ride along.

A photo taken on a phone carries where it was taken (GPS), sometimes a caption naming the child and
the address, and the camera owner's name. Copying it byte for byte copies all of that. Decoding it
and writing only the pixels again (same format where Pillow can write it, PNG otherwise) leaves
none of it. A picture Pillow cannot read (EMF, WMF on Linux) is replaced by a small grey
placeholder: it cannot be checked, so it does not go out.
"""
from __future__ import annotations

import io

PLACEHOLDER_SIZE = (64, 48)
_FORMATS = {"JPEG": ("JPEG", "image/jpeg", ".jpeg"), "PNG": ("PNG", "image/png", ".png"),
            "GIF": ("PNG", "image/png", ".png"), "BMP": ("PNG", "image/png", ".png"),
            "TIFF": ("PNG", "image/png", ".png"), "WEBP": ("PNG", "image/png", ".png")}


def clean_image(data: bytes) -> tuple[bytes, str, str]:
    """(new bytes, content type, file extension) with no metadata at all."""
    from PIL import Image, ImageOps  # start-up: PIL is loaded only when this runs

    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format or ""
            im.load()
            im = ImageOps.exif_transpose(im)    # keep the orientation the EXIF block gave
            save_as, ctype, ext = _FORMATS.get(fmt, ("PNG", "image/png", ".png"))
            if save_as == "JPEG":
                pixels = im.convert("RGB") if im.mode not in ("RGB", "L") else im
            else:
                pixels = im.convert("RGBA") if im.mode not in ("RGB", "RGBA", "L", "LA") else im
            clean = Image.new(pixels.mode, pixels.size)
            clean.paste(pixels)                  # a new image: no info, no exif, no icc
            out = io.BytesIO()
            if save_as == "JPEG":
                clean.save(out, "JPEG", quality=88, optimize=True)
            else:
                clean.save(out, "PNG", optimize=False)
            return out.getvalue(), ctype, ext
    except Exception:
        return placeholder(), "image/png", ".png"


def placeholder() -> bytes:
    from PIL import Image  # start-up: PIL is loaded only when this runs

    out = io.BytesIO()
    Image.new("L", PLACEHOLDER_SIZE, 200).save(out, "PNG")
    return out.getvalue()


def metadata_text(data: bytes) -> str:
    """Every text-bearing metadata block of an image, as text (what the verifier reads)."""
    from PIL import Image  # start-up: PIL is loaded only when this runs

    pieces = []
    try:
        with Image.open(io.BytesIO(data)) as im:
            for k, v in (im.info or {}).items():
                if isinstance(v, bytes):
                    v = v.decode("utf-8", "replace")
                if isinstance(v, str):
                    pieces.append(v)
            try:
                exif = im.getexif()
                for _, v in exif.items():
                    if isinstance(v, bytes):
                        v = v.decode("utf-8", "replace")
                    pieces.append(str(v))
                for ifd in (0x8825, 0x8769):        # GPS, Exif sub-IFDs
                    for _, v in exif.get_ifd(ifd).items():
                        pieces.append(str(v))
            except Exception:
                pass
            if getattr(im, "applist", None):
                for _, seg in im.applist:
                    pieces.append(seg.decode("latin-1", "replace"))
    except Exception:
        pieces.append(data[:4096].decode("latin-1", "replace"))
    return "\n".join(pieces)


def has_metadata(data: bytes) -> bool:
    """True when the image still carries EXIF, XMP, IPTC, GPS or comment blocks."""
    from PIL import Image  # start-up: PIL is loaded only when this runs

    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.getexif():
                return True
            info_keys = {k.lower() if isinstance(k, str) else k for k in (im.info or {})}
            if info_keys & {"exif", "xmp", "comment", "icc_profile", "photoshop", "xml:com.adobe"
                            ".xmp", "description", "author", "title", "iptc"}:
                return True
            if any(isinstance(k, str) and isinstance(v, (str, bytes)) and k not in
                   ("dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive",
                    "progression", "adobe", "adobe_transform", "transparency", "gamma")
                   for k, v in (im.info or {}).items()):
                return True
            return any(m in (b"APP1", b"APP13") for m, _ in getattr(im, "applist", []) or [])
    except Exception:
        return False
