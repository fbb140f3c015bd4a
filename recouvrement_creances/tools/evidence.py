"""Evidence: the files for the court (numbered exhibits merged into one PDF, each page stamped with its exhibit
number), and the digests and hashes of the evidence chain."""

import hashlib
import io
import json

from reportlab.pdfgen import canvas

from odoo.tools.pdf import PdfFileReader, PdfFileWriter


def page_count(pdf):
    """The number of pages of a PDF (bytes)."""
    return len(PdfFileReader(io.BytesIO(pdf), strict=False).pages)


def _stamps(sizes, labels):
    """A PDF of transparent pages, one per (width, height) of ``sizes``, with its label in the top right."""
    packet = io.BytesIO()
    can = canvas.Canvas(packet)
    for (width, height), label in zip(sizes, labels, strict=True):
        can.setPageSize((width, height))
        can.setFont("Helvetica-Bold", 9)
        can.drawRightString(width - 28, height - 20, label)
        can.showPage()
    can.save()
    return PdfFileReader(packet, strict=False)


def bundle(front, exhibits, label):
    """Merge ``front`` (the table of contents, unstamped) and the ``exhibits`` [(number, pdf bytes)] in one PDF,
    each exhibit page stamped with ``label(number, page, pages)``.

    >>> def blank(pages):
    ...     out = io.BytesIO(); can = canvas.Canvas(out)
    ...     for _ in range(pages): can.showPage()
    ...     can.save(); return out.getvalue()
    >>> page_count(bundle(blank(1), [(1, blank(2)), (2, blank(1))], lambda n, p, c: f"{n} {p}/{c}"))
    4
    """
    writer = PdfFileWriter()
    for page in PdfFileReader(io.BytesIO(front), strict=False).pages:
        writer.add_page(page)
    for number, pdf in exhibits:
        pages = list(PdfFileReader(io.BytesIO(pdf), strict=False).pages)
        sizes = [(float(abs(page.mediabox.width)), float(abs(page.mediabox.height))) for page in pages]
        stamps = _stamps(sizes, [label(number, index + 1, len(pages)) for index in range(len(pages))])
        for index, page in enumerate(pages):
            page.merge_page(stamps.pages[index])
            writer.add_page(page)
    with io.BytesIO() as buffer:
        writer.write(buffer)
        return buffer.getvalue()


def digest(content):
    """The SHA-256 of a record's evidence ``content`` (a dict of JSON values), written canonically: the same
    content always gives the same digest, whatever the order of its keys.

    >>> digest({"b": 2, "a": [1, "é"]}) == digest({"a": [1, "é"], "b": 2})
    True
    >>> len(digest({}))
    64
    """
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()
    ).hexdigest()


def chain(previous_hash, record_digest):
    """The hash of a link of the evidence chain: its record's digest chained to the previous link's hash.

    >>> first = chain("", digest({"a": 1}))
    >>> chain(first, digest({"b": 2})) != chain("", digest({"b": 2}))
    True
    """
    return hashlib.sha256(f"{previous_hash or ''}{record_digest}".encode()).hexdigest()


def checksum(data):
    """The SHA-256 of some bytes or text (a body, a file), or None when there is none."""
    if not data:
        return None
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()
