"""PDF pages drawn for the page view, in a worker process, with damaged files refused calmly."""
import pytest

from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.index.page_render import PageRenderer
from tests.factories import write_pdf


@pytest.fixture
def renderer():
    r = PageRenderer(time_limit_s=20)
    yield r
    r.close()


def test_renders_the_asked_page_as_png(renderer, tmp_path):
    from PIL import Image
    import io

    pdf = write_pdf(tmp_path / "minutes.pdf", ["First page", "Second page", "Third page"])
    page = renderer.render(str(pdf), 2, scale=1.0)
    assert page.page == 2 and page.pages == 3
    assert page.png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(page.png))
    assert image.size == (595, 842)  # A4 at 72 dpi
    assert renderer.render(str(pdf), 99).page == 3  # clamped to the last page


def test_a_damaged_pdf_is_a_message_not_a_crash(renderer, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really")
    with pytest.raises(EvidenceError, match="could not be drawn"):
        renderer.render(str(bad), 1)
    good = write_pdf(tmp_path / "good.pdf", ["still works"])
    assert renderer.render(str(good), 1).pages == 1
