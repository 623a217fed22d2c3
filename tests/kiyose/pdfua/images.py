"""Pictures of the pages, for layout facts (where ink falls, how much of a colour there is)."""


def page_images(pdf: bytes, *, dpi: int = 60) -> list:
    """Each page as a PIL image (pdfium renders it as a viewer would)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def ink(image, box=None) -> float:
    """Share of the pixels (of `box`, left/top/right/bottom fractions) that are not white."""
    if box is not None:
        width, height = image.size
        image = image.crop((int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height)))
    histogram = image.convert("L").histogram()
    return 1 - sum(histogram[245:]) / sum(histogram)


def colour_share(image, colour: str, tolerance: int = 24) -> float:
    """Share of the pixels within `tolerance` of `colour` (#RRGGBB)."""
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    close = sum(1 for p in pixels if all(abs(a - b) <= tolerance for a, b in zip(p, target, strict=True)))
    return close / (len(data) // 3)
