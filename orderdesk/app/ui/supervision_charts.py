"""Charts for the Supervision workspace, on pyqtgraph (imported on first use: 0.25 s, which the
console's start does not pay). pyqtgraph over QtCharts: 83 MB installed with numpy against PySide6-
Addons' 422 MB, for the handful of bar and line charts this workspace draws (docs/supervision.md)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from orderdesk.app.ui import theme


class Chart(QWidget):
    """A bar or line chart with named categories along the bottom and an optional bar drawn across."""

    def __init__(self, title: str, kind: str = "bar", minimum_height: int = 180) -> None:
        super().__init__()
        self.title, self.kind = title, kind
        self._plot: Any = None
        self.setMinimumHeight(minimum_height)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.labels: list[str] = []
        self.values: list[float] = []

    def _made(self) -> Any:
        if self._plot is None:
            import pyqtgraph as pg

            palette = self.palette()  # the desktop's own: light or dark
            pg.setConfigOptions(antialias=True, background=palette.color(QPalette.ColorRole.Base),
                                foreground=palette.color(QPalette.ColorRole.Text))  # fmt: skip
            self._plot = pg.PlotWidget(title=self.title)
            self._plot.setMouseEnabled(x=False, y=False)
            self._plot.hideButtons()
            self._plot.showGrid(y=True, alpha=0.2)
            self._layout.addWidget(self._plot)
            self._plot.show()  # at once: added to a page already shown
        return self._plot

    def show_values(self, labels: list[str], values: list[float], *, bar: float | None = None,
                    alert_above: float | None = None, alert_below: float | None = None,
                    y_range: tuple[float, float] | None = None) -> None:  # fmt: skip
        import pyqtgraph as pg

        self.labels, self.values = list(labels), [float(v) for v in values]
        plot = self._made()
        plot.clear()
        xs = list(range(len(values)))
        plain, alert = theme.colour("chart"), theme.colour("chart_alert")

        def hot(v: float) -> bool:
            return (alert_above is not None and v > alert_above) or (alert_below is not None and v < alert_below)

        if self.kind == "bar":
            brushes = [pg.mkBrush(alert if hot(v) else plain) for v in self.values]
            plot.addItem(pg.BarGraphItem(x=xs, height=self.values, width=0.6, brushes=brushes))
        else:
            plot.plot(xs, self.values, pen=pg.mkPen(plain, width=2), symbol="o", symbolSize=6,
                      symbolBrush=[pg.mkBrush(alert if hot(v) else plain) for v in self.values])  # fmt: skip
        if bar is not None:
            plot.addItem(
                pg.InfiniteLine(
                    pos=bar, angle=0, pen=pg.mkPen(theme.colour("chart_bar_line"), style=Qt.PenStyle.DashLine)
                )
            )
        self._name_ticks()
        if xs:
            plot.setXRange(-0.6, len(xs) - 0.4, padding=0)
        if y_range is not None:
            plot.setYRange(*y_range, padding=0.02)
        else:
            plot.enableAutoRange(axis="y")

    def _name_ticks(self) -> None:
        """As many names along the bottom as fit side by side without touching (every n-th one)."""
        if self._plot is None or not self.labels:
            return
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(label) for label in self.labels) + metrics.horizontalAdvance("  ")
        room = max(1, self.width() - 60)  # the left axis takes about 60 px
        fit = max(1, room // widest)
        step = max(1, -(-len(self.labels) // fit))
        shown = [(i, self.labels[i]) for i in range(0, len(self.labels), step)]
        self._plot.getAxis("bottom").setTicks([shown])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._name_ticks()
