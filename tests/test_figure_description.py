"""The describer of matplotlib figures (notebooks/figure_description.py), on real figures drawn
as the kernel draws them before describing them."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from coursebook.notebooks.figure_description import describe_figure

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after choosing the backend


def described(fig) -> str | None:
    """As in the kernel: the figure is drawn (for its PNG), then described."""
    fig.savefig(io.BytesIO(), format="png")
    try:
        return describe_figure(fig)
    finally:
        plt.close(fig)


def test_line_plot_names_title_axes_ranges_and_legend():
    fig, ax = plt.subplots()
    epochs = np.arange(301)
    ax.plot(epochs, np.linspace(0, 1, 301), label="true labels")
    ax.plot(epochs, np.linspace(0.1, 0.6, 301), label="random labels")
    ax.set(title="Training accuracy", xlabel="epoch", ylabel="accuracy")
    ax.legend()
    assert described(fig) == (
        "Line plot 'Training accuracy': accuracy (0–1) against epoch (0–300); "
        "2 series: true labels, random labels"
    )


def test_scatter_plot_without_title_or_labels_says_the_axes_are_unlabelled():
    fig, ax = plt.subplots()
    ax.scatter([1, 2, 3, 4], [0.5, 2.5, 1, 4])
    assert described(fig) == (
        "Scatter plot: unlabelled y-axis (0.5–4) against unlabelled x-axis (1–4)"
    )


def test_markers_without_lines_are_a_scatter_plot():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [3, 1, 2], "o")
    assert described(fig).startswith("Scatter plot: ")


def test_bar_chart_lists_its_categories():
    fig, ax = plt.subplots()
    ax.bar(["cats", "dogs", "fish"], [12, 30, 5])
    ax.set(ylabel="pets", title="Pets per kind")
    assert described(fig) == (
        "Bar chart 'Pets per kind': pets (0–30) against unlabelled x-axis "
        "(3 categories: cats, dogs, fish)"
    )


def test_histogram_counts_its_bins():
    fig, ax = plt.subplots()
    ax.hist(np.linspace(-2, 2, 200), bins=8)
    ax.set(xlabel="weight", ylabel="count")
    assert described(fig) == "Histogram: count (0–25) against weight (−2–2); 8 bins"


def test_heatmap_and_picture_from_imshow():
    fig, ax = plt.subplots()
    image = ax.imshow(np.arange(12).reshape(3, 4))
    fig.colorbar(image)  # its axes is part of the heatmap, not a plot of its own
    ax.set(title="Confusion", xlabel="predicted", ylabel="true")
    assert described(fig) == (
        "Heatmap 'Confusion' of 3×4 cells: true (−0.5–2.5) against predicted (−0.5–3.5); "
        "colour scale 0–11"
    )
    fig, ax = plt.subplots()
    ax.imshow(np.zeros((8, 6, 3)))
    assert described(fig) == "Image of 8×6 pixels"


def test_log_axes_say_so():
    fig, ax = plt.subplots()
    ax.plot([0.001, 1, 1000], [1e-4, 1, 10])
    ax.set(xscale="log", yscale="log", xlabel="penalty", ylabel="norm")
    assert described(fig) == (
        "Line plot: norm (log scale, 0.0001–10) against penalty (log scale, 0.001–1000)"
    )


def test_subplots_are_numbered_under_the_figure_title():
    fig, (left, right) = plt.subplots(1, 2)
    left.plot([0, 1], [0, 1])
    left.set_title("loss")
    right.hist([1, 2, 2, 3, 3, 3], bins=3)
    fig.suptitle("Training")
    text = described(fig)
    assert text.startswith("Figure 'Training' with 2 plots: (1) Line plot 'loss': ")
    assert "; (2) Histogram: " in text


def test_a_twin_axis_is_one_plot_with_a_second_y_axis():
    fig, ax = plt.subplots()
    ax.plot([1, 10], [5, 1], label="norm")
    ax.set(ylabel="weight norm", xlabel="penalty")
    twin = ax.twinx()
    twin.plot([1, 10], [0.9, 0.97], label="test accuracy")
    twin.set_ylabel("test accuracy")
    assert described(fig) == (
        "Line plot: weight norm (1–5) against penalty (1–10), and test accuracy (0.9–0.97) "
        "on a second y-axis; 2 series"
    )


@pytest.mark.parametrize(
    "draw",
    [
        lambda fig: fig.add_subplot(),  # an empty axes
        lambda fig: fig.text(0.5, 0.5, "only text"),  # no axes at all
    ],
)
def test_a_figure_with_nothing_to_describe_gets_none(draw):
    fig = plt.figure()
    draw(fig)
    assert described(fig) is None


def test_tick_labels_set_by_hand_are_categories_and_math_reads_as_text():
    """The template course's figures: bars at numbered places named by their tick labels, a
    twin axis named in a legend of the whole figure, and mathtext in labels."""
    fig, (bars, lines) = plt.subplots(1, 2)
    bars.bar([-0.2, 0.8], [1.0, 0.9], 0.4, label="train")
    bars.bar([0.2, 1.2], [0.95, 0.1], 0.4, label="test")
    bars.set(xticks=[0, 1], xticklabels=["true labels", "random labels"], ylabel="accuracy")
    bars.legend()
    lines.plot([0.001, 1000], [40, 1], marker="o", label=r"$\|w\|_2$")
    lines.set(xscale="log", xlabel=r"L2 penalty $\lambda$", ylabel="weight norm")
    twin = lines.twinx()
    twin.plot([0.001, 1000], [0.97, 0.91], label="test accuracy")
    twin.set_ylabel("test accuracy")
    fig.legend()
    text = described(fig)
    assert "(1) Bar chart: accuracy (0–1) against unlabelled x-axis (2 categories: true " in text
    assert "labels, random labels); 2 series: train, test" in text
    assert text.endswith(
        "(2) Line plot: weight norm (1–40) against L2 penalty λ (log scale, 0.001–1000), and "
        "test accuracy (0.91–0.97) on a second y-axis; 2 series: ‖w‖_2, test accuracy"
    )
