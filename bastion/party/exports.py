"""The briefing as a file: Word (.docx, python-docx) and PDF (weasyprint, Noto CJK).

Both are built from the rendered briefing (figures computed at the time of the download), so
the file says exactly what the page says.
"""

import io

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from bastion.party.selectors import RenderedBriefing

FONT = "Noto Serif CJK SC"
# 仿宋 is the civil-service body font; Word falls back to it where Noto is not installed.
EAST_ASIA_FONT = "仿宋"


def _period(rendered: RenderedBriefing) -> str:
    d = rendered.draft
    if d.start == d.end:
        return f"{d.start.year}年{d.start.month}月{d.start.day}日"
    return (
        f"{d.start.year}年{d.start.month}月{d.start.day}日至"
        f"{d.end.year}年{d.end.month}月{d.end.day}日"
    )


def subtitle(rendered: RenderedBriefing) -> str:
    return f"{rendered.draft.unit.name} · {_period(rendered)}"


def briefing_docx(rendered: RenderedBriefing) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
    title = doc.add_heading(rendered.title, level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(subtitle(rendered))
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for p in rendered.paragraphs:
        if p.kind == "heading":
            doc.add_heading(p.plain, level=2)
        elif p.kind == "deeds":
            for line in rendered.deeds:
                para = doc.add_paragraph()
                para.add_run(f"{line.title}　").bold = True
                para.add_run(line.text)
        else:
            para = doc.add_paragraph()
            para.paragraph_format.first_line_indent = Pt(24)
            for part in p.parts:
                run = para.add_run(part.text)
                run.bold = part.figure is not None and part.figure.source != "meta"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def briefing_html(rendered: RenderedBriefing, *, for_pdf: bool = False) -> str:
    return render_to_string(
        "party/briefing_print.html",
        {"rendered": rendered, "subtitle": subtitle(rendered), "for_pdf": for_pdf},
    )


def briefing_pdf(rendered: RenderedBriefing) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango and fonts, a second or so

    pdf: bytes = HTML(string=briefing_html(rendered, for_pdf=True)).write_pdf()
    return pdf
