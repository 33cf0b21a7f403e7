"""A text description of a matplotlib figure, for the alt text of the image it becomes: the kind
of plot on each axes, its title, its axis labels and data ranges, its series and legend.

Also run inside the notebook's kernel (kernel_figures.py), which may be another Python than the
build's: this module imports nothing when loaded, reads the figure through matplotlib's public
methods (duck-typed), imports numpy and matplotlib.dates only while describing a figure (where
they are installed, since a figure is), and keeps to Python 3.8 syntax.
"""

from __future__ import annotations

import math

DASH = "\u2013"  # an en dash between the ends of a range, as in print
MAX_NAMED = 8  # categories or legend entries named before "…"


def describe_figure(figure) -> str | None:
    """One sentence per plot of `figure` (a drawn matplotlib Figure), or None when it holds
    nothing this can describe (then the author must: `#| fig-alt:`)."""
    panels = _panels(figure)
    described = [text for text in (_describe_panel(main, twins) for main, twins in panels) if text]
    if not described:
        return None
    title = _figure_title(figure)
    if len(described) == 1:
        return f"Figure '{title}': {described[0]}" if title else described[0]
    heading = f"Figure '{title}' with" if title else "Figure with"
    parts = "; ".join(f"({n}) {text}" for n, text in enumerate(described, start=1))
    return f"{heading} {len(described)} plots: {parts}"


def _figure_title(figure) -> str:
    getter = getattr(figure, "get_suptitle", None)
    if getter is not None:
        return getter().strip()
    suptitle = getattr(figure, "_suptitle", None)  # matplotlib before 3.8
    return suptitle.get_text().strip() if suptitle is not None else ""


def _panels(figure) -> list:
    """(axes, [its twins]) for each plot: a colour bar's axes belongs to its image, and an
    axes at the very place of another (`twinx`) is that plot's second y-axis."""
    panels: list = []
    for axes in figure.get_axes():
        if axes.get_label() == "<colorbar>":
            continue
        place = tuple(round(v, 6) for v in axes.get_position().bounds)
        for main, twins in panels:
            if tuple(round(v, 6) for v in main.get_position().bounds) == place:
                twins.append(axes)
                break
        else:
            panels.append((axes, []))
    return panels


def _describe_panel(axes, twins: list) -> str | None:
    kinds = _kinds(axes)
    for twin in twins:
        kinds += [k for k in _kinds(twin) if k not in kinds]
    projection = getattr(axes, "name", "")
    if projection == "3d":
        if not kinds and any(type(c).__name__ == "Poly3DCollection" for c in axes.collections):
            kinds = ["Surface plot"]
        # An empty 3D axes is nothing described, as an empty flat one is.
        kinds = ["3D " + kinds[0].lower()] if kinds else []
    elif projection == "polar" and kinds:
        kinds = ["Polar " + kinds[0].lower()]
    title = _axes_title(axes)
    if not kinds:
        # Nothing drawn that this recognises (a diagram of patches, text only, an empty
        # axes): a title alone says what it is meant to show, not what it shows.
        return None
    kind = _join_kinds(kinds)
    text = f"{kind} '{title}'" if title else kind
    if kind == "Pie chart":
        return _with_series(text, axes, [])
    y_label = _axis_text(axes, "y")
    x_label = _axis_text(axes, "x")
    if "Heatmap" in kinds or "Image" in kinds:
        grid = _grid(axes)
        text += f" of {grid}" if grid else ""
        text += f": {y_label} against {x_label}" if _labelled(axes) else ""
        scale = _colour_scale(axes)
        if scale:
            text += f"; colour scale {scale}"
        return text
    if projection == "3d":
        # The height is what a 3D plot shows: z against x and y.
        return _with_series(f"{text}: {_z_text(axes)} against {x_label} and {y_label}", axes, [])
    if projection == "polar":
        x_label = _angle_text(axes)
        y_label = y_label.replace("unlabelled y-axis", "radius", 1)
    text += f": {y_label} against {x_label}"
    for twin in twins:
        text += f", and {_axis_text(twin, 'y')} on a second y-axis"
    return _with_series(text, axes, twins)


def _z_text(axes) -> str:
    """The third axis of a 3D plot: its label and the range of the data along it."""
    name = _plain(axes.get_zlabel()) or "unlabelled z-axis"
    try:
        low, high = (float(v) for v in axes.zz_dataLim.intervalx)
    except (AttributeError, TypeError, ValueError):
        low, high = math.inf, -math.inf
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        low, high = sorted(axes.get_zlim())
    return f"{name} ({_range(low, high)})"


def _angle_text(axes) -> str:
    """A polar plot's angle, in degrees (its data are radians)."""
    name = _plain(axes.get_xlabel()) or "angle"
    low, high = _data_range(axes, "x")
    if low is None:
        return name
    return f"{name} ({_range(math.degrees(low), math.degrees(high))}°)"


def _join_kinds(kinds: list[str]) -> str:
    if len(kinds) == 1:
        return kinds[0]
    plain = [k.lower().replace(" plot", "").replace(" chart", "") for k in kinds]
    return (", ".join(plain[:-1]) + " and " + plain[-1]).capitalize() + " plot"


def _axes_title(axes) -> str:
    titles = [_plain(axes.get_title(loc)) for loc in ("center", "left", "right")]
    return " ".join(t for t in titles if t)


def _kinds(axes) -> list[str]:
    """The kinds of plot drawn on `axes`, in the order a reader would name them."""
    kinds: list[str] = []
    images = list(axes.images)
    if images:
        colour = any(len(getattr(image.get_array(), "shape", ())) == 3 for image in images)
        kinds.append("Image" if colour else "Heatmap")
    names = [type(c).__name__ for c in axes.collections]
    if ("QuadMesh" in names or _hexbin(axes)) and "Heatmap" not in kinds:
        kinds.append("Heatmap")  # pcolormesh, and hexbin's colour-mapped hexagons
    if any("Contour" in name for name in names) or _is_contour(axes):
        kinds.append("Contour plot")
    bars = [c for c in axes.containers if type(c).__name__ == "BarContainer"]
    if bars:
        kinds.append("Histogram" if all(_touching(c) for c in bars) else "Bar chart")
    elif any(type(p).__name__ == "Polygon" for p in axes.patches) and _step_histogram(axes):
        kinds.append("Histogram")
    if any(type(p).__name__ == "Wedge" for p in axes.patches):
        kinds.append("Pie chart")
    lines = _data_lines(axes)
    if any(_has_line(line) for line in lines):
        kinds.append("Line plot")
    if {"PathCollection", "Path3DCollection"} & set(names) or any(
        not _has_line(line) for line in lines
    ):
        kinds.append("Scatter plot")
    if not kinds and ("PolyCollection" in names or "FillBetweenPolyCollection" in names):
        kinds.append("Area plot")
    return kinds


def _hexbin(axes):
    """The colour-mapped PolyCollection `hexbin` draws (fill_between's has no data array)."""
    return next(
        (
            c
            for c in axes.collections
            if type(c).__name__ == "PolyCollection" and c.get_array() is not None
        ),
        None,
    )


def _is_contour(axes) -> bool:
    return any(type(c).__name__ in ("QuadContourSet", "ContourSet") for c in axes.collections)


def _step_histogram(axes) -> bool:
    """`hist(histtype="step")` draws one Polygon per data set and labels it as its series."""
    return not axes.lines and not axes.collections


def _touching(container) -> bool:
    """Bars that touch each other, as a histogram's bins do (bar charts leave gaps)."""
    patches = list(container.patches)
    if len(patches) < 2:
        return False
    horizontal = getattr(container, "orientation", "vertical") == "horizontal"
    edges = []
    for patch in patches:
        start = patch.get_y() if horizontal else patch.get_x()
        size = patch.get_height() if horizontal else patch.get_width()
        edges.append((start, start + size))
    edges.sort()
    # By index, not itertools.pairwise: the kernel's Python may be older than 3.10.
    return all(
        math.isclose(edges[i][1], edges[i + 1][0], rel_tol=1e-6, abs_tol=1e-9)
        for i in range(len(edges) - 1)
    )


def _data_lines(axes) -> list:
    """The Line2D artists that stand for data: not the whiskers of an error bar or a box
    plot (those carry a label starting with `_`, and so do lines plotted without a label, so
    the test is their data: reference lines like `axhline` span the axes, not data)."""
    found = []
    for line in axes.get_lines():
        try:
            transform = line.get_transform()
            if transform is not axes.transData and "Blended" in type(transform).__name__:
                continue  # axhline/axvline: drawn in axes coordinates along one side
        except AttributeError:
            pass
        if len(line.get_xdata()) == 0 or not _has_finite_point(line):
            continue  # all NaN: nothing is drawn, and its "range" would be the empty view's
        found.append(line)
    return found


def _has_finite_point(line) -> bool:
    try:
        import numpy  # matplotlib's own dependency: there wherever a figure is

        return bool(numpy.isfinite(numpy.asarray(line.get_xydata(), dtype=float)).all(axis=1).any())
    except (ImportError, TypeError, ValueError):
        return True


def _has_line(line) -> bool:
    return line.get_linestyle() not in ("None", "none", "", " ")


def _labelled(axes) -> bool:
    return bool(axes.get_xlabel().strip() or axes.get_ylabel().strip())


def _axis_text(axes, which: str) -> str:
    """`accuracy (0–1)`, `loss (log scale, 0.01–10)`, or the categories of a bar chart."""
    axis = axes.xaxis if which == "x" else axes.yaxis
    label = _plain(axes.get_xlabel() if which == "x" else axes.get_ylabel())
    name = label or f"unlabelled {which}-axis"
    categories = _categories(axis)
    if categories:
        shown = ", ".join(categories[:MAX_NAMED]) + (", …" if len(categories) > MAX_NAMED else "")
        return f"{name} ({len(categories)} categories: {shown})"
    low, high = _data_range(axes, which)
    details = []
    if (axes.get_xscale() if which == "x" else axes.get_yscale()) == "log":
        details.append("log scale")
    if low is not None:
        dates = _dates(axis, low, high)
        details.append(dates or _range(low, high))
    return f"{name} ({', '.join(details)})" if details else name


def _dates(axis, low: float, high: float) -> str | None:
    """`2024-01-01–2024-01-30` for a date axis, whose numbers are days since matplotlib's
    epoch (19723 says nothing to a reader); the time of day too for a span under three days."""
    getter = getattr(axis, "get_converter", None)  # matplotlib 3.10+
    converter = getter() if getter is not None else getattr(axis, "converter", None)
    if converter is None or "Date" not in type(converter).__name__:
        return None
    try:
        from matplotlib.dates import num2date

        start, end = num2date(low), num2date(high)
    except (ImportError, ValueError, OverflowError):
        return None
    shape = "%Y-%m-%d" if high - low >= 3 else "%Y-%m-%d %H:%M"
    first, last = start.strftime(shape), end.strftime(shape)
    return first if first == last else f"{first}{DASH}{last}"


def _categories(axis) -> list[str]:
    """The category names of a categorical axis (strings plotted as x or y values), or the
    tick labels the author set in place of numbers (`set_xticklabels`)."""
    units = getattr(axis, "units", None)
    mapping = getattr(units, "_mapping", None)  # matplotlib.category.UnitData
    if isinstance(mapping, dict) and mapping:
        return [_plain(str(name)) for name in mapping]
    formatter = axis.get_major_formatter()
    labels = getattr(formatter, "seq", None)  # FixedFormatter (matplotlib before 3.5)
    if labels is None:
        # Since 3.5 a FuncFormatter over {position: label}: Axis._format_with_dict.
        arguments = getattr(getattr(formatter, "func", None), "args", ())
        if arguments and isinstance(arguments[0], dict):
            labels = [arguments[0][k] for k in sorted(arguments[0])]
    return [_plain(str(label)) for label in labels or [] if str(label).strip()]


# What mathtext in a label (`$\\lambda$`) reads as: its letters, not its TeX.
_SYMBOLS = {
    "\\alpha": "α", "\\beta": "β", "\\gamma": "γ", "\\delta": "δ", "\\epsilon": "ε",
    "\\eta": "η", "\\theta": "θ", "\\lambda": "λ", "\\mu": "μ", "\\pi": "π",
    "\\rho": "ρ", "\\sigma": "σ", "\\tau": "τ", "\\phi": "φ", "\\omega": "ω",
    "\\Delta": "Δ", "\\Sigma": "Σ", "\\|": "‖", "\\cdot": "·", "\\times": "×",
    "\\leq": "≤", "\\geq": "≥", "\\infty": "∞", "\\ell": "ℓ",
}  # fmt: skip


def _plain(text: str) -> str:
    """A label as text: mathtext's `$`, braces and commands made plain (`$\\|w\\|_2$` is
    `‖w‖_2`)."""
    if "$" not in text:
        return text.strip()
    for command in sorted(_SYMBOLS, key=len, reverse=True):
        text = text.replace(command, _SYMBOLS[command])
    for mark in ("$", "{", "}", "\\mathrm", "\\mathbf", "\\mathcal", "\\text"):
        text = text.replace(mark, "")
    return " ".join(text.replace("\\", "").split())


def _data_range(axes, which: str):
    """The extent of the data (not the view's margins), else of the view."""
    # A 3D axes keeps its x and y data limits apart (`xy_dataLim`; `dataLim` misses surfaces).
    bounds = getattr(axes, "xy_dataLim", None) or axes.dataLim
    try:
        limits = bounds.intervalx if which == "x" else bounds.intervaly
        low, high = float(limits[0]), float(limits[1])
    except (AttributeError, TypeError, ValueError, IndexError):
        return None, None
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        low, high = axes.get_xlim() if which == "x" else axes.get_ylim()
        low, high = min(low, high), max(low, high)
    return low, high


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e6:
        text = str(int(value))
    else:
        text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}×10^{int(exponent)}" if mantissa != "1" else f"10^{int(exponent)}"
    return text.replace("-", "\u2212")  # a minus sign, as a screen reader says "minus"


def _range(low: float, high: float) -> str:
    if math.isclose(low, high):
        return _number(low)
    return f"{_number(low)}{DASH}{_number(high)}"


def _grid(axes) -> str:
    """`28×28 pixels` of a picture, `10×10 cells` of a heatmap."""
    image = next(iter(axes.images), None)
    shape = getattr(image.get_array(), "shape", ()) if image is not None else ()
    if len(shape) < 2:
        return ""
    return f"{shape[0]}×{shape[1]} {'pixels' if len(shape) == 3 else 'cells'}"


def _colour_scale(axes) -> str:
    mappable = next(iter(axes.images), None)
    if mappable is None:
        mappable = next((c for c in axes.collections if type(c).__name__ == "QuadMesh"), None)
    if mappable is None:
        mappable = _hexbin(axes)
    if mappable is None or len(getattr(mappable.get_array(), "shape", ())) == 3:
        return ""
    low, high = mappable.get_clim()
    if low is None or high is None:
        return ""
    return _range(float(low), float(high))


def _series_labels(axes) -> list[str]:
    """The legend's entries: the axes' own legend, else those of a legend of the whole
    figure (`fig.legend()`) naming this axes' artists."""
    legend = axes.get_legend()
    if legend is not None:
        return [_plain(t.get_text()) for t in legend.get_texts() if t.get_text().strip()]
    figure = axes.get_figure()
    own = {artist.get_label() for artist in [*axes.lines, *axes.collections, *axes.containers]}
    return [
        _plain(t.get_text())
        for legend in getattr(figure, "legends", [])
        for t in legend.get_texts()
        if t.get_text() in own
    ]


def _series_count(axes) -> int:
    bars = [c for c in axes.containers if type(c).__name__ == "BarContainer"]
    scatters = [
        c for c in axes.collections if type(c).__name__ in ("PathCollection", "Path3DCollection")
    ]
    polygons = [p for p in axes.patches if type(p).__name__ == "Polygon"] if not bars else []
    return len(_data_lines(axes)) + len(bars) + len(scatters) + len(polygons)


def _with_series(text: str, axes, twins: list) -> str:
    """The series: how many, and their names from the legend (one legend for a twin too)."""
    count = _series_count(axes) + sum(_series_count(t) for t in twins)
    labels = _series_labels(axes) + [x for t in twins for x in _series_labels(t)]
    if any(type(p).__name__ == "Wedge" for p in axes.patches):
        wedges = [p for p in axes.patches if type(p).__name__ == "Wedge"]
        names = [t.get_text() for t in axes.texts if t.get_text().strip()]
        text += f": {len(wedges)} slices"
        return text + (f": {', '.join(names[: len(wedges)])}" if names else "")
    if count > 1 or labels:
        text += f"; {max(count, len(labels))} series"
        if labels:
            # Named up to a point, as categories are: sixty legend entries are no description.
            text += (
                ": " + ", ".join(labels[:MAX_NAMED]) + (", …" if len(labels) > MAX_NAMED else "")
            )
    bars = [c for c in axes.containers if type(c).__name__ == "BarContainer"]
    if bars and all(_touching(c) for c in bars):
        text += f"; {len(bars[0].patches)} bins"
    return text
