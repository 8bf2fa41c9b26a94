package dev.calleval.report;

import static dev.calleval.report.Html.esc;

import java.util.List;

/**
 * Inline SVG charts for {@code report.html}, drawn here on the server: no script, no external resource. Each chart
 * is an {@code <svg class="chart">} with a {@code <title>} (its accessible name); every bar is a {@code <rect>}
 * carrying its label and count in {@code data-label} / {@code data-value}, and its count is also written as text.
 */
final class SvgCharts {
    static final int WIDTH = 760;
    private static final String FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif\"";

    private SvgCharts() {}

    /** One bar or segment: label, count, fill colour (a CSS colour literal chosen by calleval, never from input). */
    record Bar(String label, long value, String color) {}

    private static StringBuilder open(String id, String title, int height) {
        StringBuilder svg = new StringBuilder(2048);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"").append(esc(id)).append("\" role=\"img\" width=\"")
                .append(WIDTH).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" ").append(FONT).append(" font-size=\"13\"><title>").append(esc(title)).append("</title>");
        return svg;
    }

    /**
     * Horizontal bars, one per row, scaled to the largest value; zero-value rows keep their label. The label column is
     * as wide as the longest label needs ({@link #labelWidth}), so that no label is clipped at the chart's left edge.
     */
    static String horizontalBars(String id, String title, List<Bar> bars) {
        int labelWidth = labelWidth(bars);
        int valueWidth = 110;
        int area = WIDTH - labelWidth - valueWidth;
        int row = 26;
        int height = bars.size() * row + 8;
        long max = Math.max(1, bars.stream().mapToLong(Bar::value).max().orElse(1));
        long total = bars.stream().mapToLong(Bar::value).sum();
        StringBuilder svg = open(id, title, height);
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = 4 + i * row;
            double w = bar.value() == 0 ? 0 : Math.max(2, area * (double) bar.value() / max);
            svg.append("<text x=\"").append(labelWidth - 10).append("\" y=\"").append(y + 17).append("\" text-anchor=\"end\" fill=\"#1f2933\">")
                    .append(esc(fit(bar.label(), labelWidth))).append("</text>");
            svg.append("<rect class=\"bar\" x=\"").append(labelWidth).append("\" y=\"").append(y + 3).append("\" width=\"").append(Html.num(w, 1))
                    .append("\" height=\"").append(row - 8).append("\" rx=\"2\" fill=\"").append(bar.color()).append("\" data-label=\"")
                    .append(esc(bar.label())).append("\" data-value=\"").append(bar.value()).append("\"/>");
            svg.append("<text x=\"").append(Html.num(labelWidth + w + 6, 1)).append("\" y=\"").append(y + 17).append("\" fill=\"#1f2933\">")
                    .append(Html.count(bar.value())).append(bar.value() > 0 && total > 0 ? " (" + Html.percent(bar.value(), total) + ")" : "")
                    .append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Average advance of a 13 px sans-serif character, in px, with room to spare (DejaVu Sans is the widest of the fonts asked for). */
    private static final double CHAR_WIDTH = 7.6;

    /** The width of the label column: the longest label plus a margin, at least 120 px, at most a third of the chart. */
    static int labelWidth(List<Bar> bars) {
        int longest = bars.stream().mapToInt(b -> b.label().codePointCount(0, b.label().length())).max().orElse(0);
        return (int) Math.min(WIDTH / 3.0, Math.max(120, Math.ceil(longest * CHAR_WIDTH) + 16));
    }

    /** The label cut to the label column, with an ellipsis, when even a third of the chart is too narrow for it. */
    private static String fit(String label, int labelWidth) {
        int max = (int) Math.floor((labelWidth - 16) / CHAR_WIDTH);
        return label.codePointCount(0, label.length()) <= max ? label : label.substring(0, label.offsetByCodePoints(0, max - 1)) + "…";
    }

    /**
     * One bar split into segments proportional to their counts (a 100 % stacked bar), with a legend below giving each
     * segment's count and share. An all-zero bar is drawn empty (grey outline).
     */
    static String stackedBar(String id, String title, List<Bar> segments) {
        int barHeight = 26;
        int legendRow = 20;
        int height = barHeight + 12 + legendRow * ((segments.size() + 2) / 3) + 4;
        long total = segments.stream().mapToLong(Bar::value).sum();
        StringBuilder svg = open(id, title, height);
        svg.append("<rect x=\"0.5\" y=\"0.5\" width=\"").append(WIDTH - 1).append("\" height=\"").append(barHeight)
                .append("\" fill=\"#f3f5f7\" stroke=\"#cbd2d9\"/>");
        double x = 0;
        for (Bar s : segments) {
            if (s.value() == 0 || total == 0) {
                continue;
            }
            double w = WIDTH * (double) s.value() / total;
            svg.append("<rect class=\"bar\" x=\"").append(Html.num(x, 1)).append("\" y=\"0\" width=\"").append(Html.num(w, 1)).append("\" height=\"")
                    .append(barHeight).append("\" fill=\"").append(s.color()).append("\" data-label=\"").append(esc(s.label()))
                    .append("\" data-value=\"").append(s.value()).append("\"/>");
            x += w;
        }
        int columnWidth = WIDTH / 3;
        for (int i = 0; i < segments.size(); i++) {
            Bar s = segments.get(i);
            int lx = (i % 3) * columnWidth;
            int ly = barHeight + 12 + (i / 3) * legendRow;
            svg.append("<rect x=\"").append(lx).append("\" y=\"").append(ly).append("\" width=\"12\" height=\"12\" fill=\"").append(s.color()).append("\"/>");
            svg.append("<text x=\"").append(lx + 18).append("\" y=\"").append(ly + 11).append("\" fill=\"#1f2933\">").append(esc(s.label())).append(": ")
                    .append(Html.count(s.value())).append(total > 0 ? " (" + Html.percent(s.value(), total) + ")" : "").append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /**
     * Vertical grouped bars: for each bin {@code [i × binWidth, (i+1) × binWidth)} (the last one open-ended), one bar
     * per series. Y axis: counts, four grid lines at whole numbers. X axis: the bins' lower bounds under their left
     * edges, and under the last, open-ended bin, centred, its lower bound with the unit ({@code ≥ 1.6 s}).
     *
     * @param unit the axis title, e.g. {@code seconds}
     * @param symbol the unit's symbol for the open-ended bin's label, e.g. {@code s}
     * @param series each series' counts per bin, all of the same length
     * @param colors one per series
     * @param names one per series, for the legend
     */
    static String histogram(String id, String title, double binWidth, String unit, String symbol, List<long[]> series, List<String> colors,
            List<String> names) {
        int bins = series.get(0).length;
        int left = 56;
        int right = 12;
        int top = 26;
        int plot = 200;
        int bottom = 44;
        int height = top + plot + bottom;
        long max = 1;
        for (long[] s : series) {
            for (long v : s) {
                max = Math.max(max, v);
            }
        }
        long step = (max + 3) / 4; // whole calls per grid line
        long yMax = step * 4;
        double slot = (WIDTH - left - right) / (double) bins;
        double barWidth = Math.max(2, (slot - 6) / series.size());
        StringBuilder svg = open(id, title, height);
        for (int i = 0; i < names.size(); i++) {
            int lx = left + i * 150;
            svg.append("<rect x=\"").append(lx).append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"").append(colors.get(i)).append("\"/>");
            svg.append("<text x=\"").append(lx + 18).append("\" y=\"15\" fill=\"#1f2933\">").append(esc(names.get(i))).append("</text>");
        }
        for (int g = 0; g <= 4; g++) {
            double y = top + plot - plot * g / 4.0;
            svg.append("<line x1=\"").append(left).append("\" x2=\"").append(WIDTH - right).append("\" y1=\"").append(Html.num(y, 1)).append("\" y2=\"")
                    .append(Html.num(y, 1)).append("\" stroke=\"").append(g == 0 ? "#7b8794" : "#e4e7eb").append("\"/>");
            svg.append("<text x=\"").append(left - 6).append("\" y=\"").append(Html.num(y + 4, 1)).append("\" text-anchor=\"end\" fill=\"#52606d\">")
                    .append(Html.count(step * g)).append("</text>");
        }
        svg.append("<text x=\"14\" y=\"").append(top + plot / 2).append("\" transform=\"rotate(-90 14 ").append(top + plot / 2)
                .append(")\" text-anchor=\"middle\" fill=\"#52606d\">calls</text>");
        int labelEvery = Math.max(1, (int) Math.ceil(bins / 12.0));
        for (int b = 0; b < bins; b++) {
            double x0 = left + b * slot + 3;
            for (int s = 0; s < series.size(); s++) {
                long v = series.get(s)[b];
                double h = v == 0 ? 0 : Math.max(1, plot * (double) v / yMax);
                String label = binLabel(b, bins, binWidth, unit);
                svg.append("<rect class=\"bar\" x=\"").append(Html.num(x0 + s * barWidth, 1)).append("\" y=\"").append(Html.num(top + plot - h, 1))
                        .append("\" width=\"").append(Html.num(barWidth - 1, 1)).append("\" height=\"").append(Html.num(h, 1)).append("\" fill=\"")
                        .append(colors.get(s)).append("\" data-label=\"").append(esc(names.get(s) + " " + label)).append("\" data-value=\"").append(v)
                        .append("\"><title>").append(esc(names.get(s) + ", " + label + ": " + v + " calls")).append("</title></rect>");
            }
            if (b == bins - 1) {
                svg.append("<text class=\"open-bin\" x=\"").append(Html.num(left + (b + 0.5) * slot, 1)).append("\" y=\"").append(top + plot + 16)
                        .append("\" text-anchor=\"middle\" fill=\"#52606d\">").append(esc(openBinLabel(b, binWidth, symbol))).append("</text>");
            } else if (b % labelEvery == 0) {
                svg.append("<text x=\"").append(Html.num(left + b * slot, 1)).append("\" y=\"").append(top + plot + 16)
                        .append("\" text-anchor=\"middle\" fill=\"#52606d\">").append(Html.num(b * binWidth, 2)).append("</text>");
            }
        }
        svg.append("<text x=\"").append(left + (WIDTH - left - right) / 2).append("\" y=\"").append(top + plot + 36)
                .append("\" text-anchor=\"middle\" fill=\"#52606d\">").append(esc(unit)).append("</text>");
        return svg.append("</svg>").toString();
    }

    /** The last bin's axis label: its lower bound and the unit, {@code ≥ 1.6 s}. */
    static String openBinLabel(int bin, double width, String symbol) {
        return "≥ " + Html.num(bin * width, 2) + " " + symbol;
    }

    private static String binLabel(int bin, int bins, double width, String unit) {
        String from = Html.num(bin * width, 2);
        return bin == bins - 1 ? "≥ " + from + " " + unit : from + "–" + Html.num((bin + 1) * width, 2) + " " + unit;
    }

    /**
     * A bin width from the 1-2-2.5-5 series such that {@code max} fits in at most {@code maxBins} bins, and the
     * number of bins (at least 1, plus one open-ended bin for everything above).
     */
    static double niceBinWidth(double max, int maxBins) {
        if (!(max > 0)) {
            return 0.1;
        }
        double raw = max / maxBins;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= raw) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** One point of a line chart: its x label, its value (null: no data, a gap) and whether it is marked (a regression). */
    record Point(String label, @org.jspecify.annotations.Nullable Double value, boolean marked) {}

    /**
     * A line over points evenly spaced left to right (oldest first), y from 0 to the largest value (at least
     * {@code minTop}), four grid lines. Each point is a {@code <circle class="point">} carrying {@code data-label} and
     * {@code data-value} and its value as text above it; a marked point is red and larger, with {@code data-regressed};
     * a point without value is left out (the line breaks there).
     *
     * @param format how values are written (e.g. {@code 60 %}, {@code 1.4 s})
     */
    static String line(String id, String title, List<Point> points, double minTop, java.util.function.DoubleFunction<String> format) {
        int left = 56;
        int right = 24;
        int top = 22;
        int plot = 150;
        int bottom = 30;
        int height = top + plot + bottom;
        double max = minTop;
        for (Point p : points) {
            if (p.value() != null) {
                max = Math.max(max, p.value());
            }
        }
        StringBuilder svg = open(id, title, height);
        for (int g = 0; g <= 4; g++) {
            double y = top + plot - plot * g / 4.0;
            svg.append("<line x1=\"").append(left).append("\" x2=\"").append(WIDTH - right).append("\" y1=\"").append(Html.num(y, 1))
                    .append("\" y2=\"").append(Html.num(y, 1)).append("\" stroke=\"").append(g == 0 ? "#7b8794" : "#e4e7eb").append("\"/>");
            svg.append("<text x=\"").append(left - 6).append("\" y=\"").append(Html.num(y + 4, 1)).append("\" text-anchor=\"end\" fill=\"#52606d\">")
                    .append(esc(format.apply(max * g / 4.0))).append("</text>");
        }
        double step = points.size() <= 1 ? 0 : (WIDTH - left - right - 40) / (double) (points.size() - 1);
        StringBuilder path = new StringBuilder();
        boolean drawing = false;
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double x = left + 20 + i * step;
            svg.append("<text x=\"").append(Html.num(x, 1)).append("\" y=\"").append(top + plot + 18)
                    .append("\" text-anchor=\"middle\" fill=\"#52606d\">").append(esc(p.label())).append("</text>");
            if (p.value() == null) {
                drawing = false;
                continue;
            }
            double y = top + plot - (max == 0 ? 0 : plot * p.value() / max);
            path.append(drawing ? " L" : (path.isEmpty() ? "M" : " M")).append(Html.num(x, 1)).append(' ').append(Html.num(y, 1));
            drawing = true;
            String color = p.marked() ? ReportStyle.RED : ReportStyle.BLUE;
            dots.append("<circle class=\"point\" cx=\"").append(Html.num(x, 1)).append("\" cy=\"").append(Html.num(y, 1)).append("\" r=\"")
                    .append(p.marked() ? 6 : 4).append("\" fill=\"").append(color).append("\" data-label=\"").append(esc(p.label()))
                    .append("\" data-value=\"").append(esc(format.apply(p.value()))).append('"').append(p.marked() ? " data-regressed=\"true\"" : "")
                    .append("><title>").append(esc(p.label() + ": " + format.apply(p.value()) + (p.marked() ? " (regressed)" : ""))).append("</title></circle>");
            dots.append("<text x=\"").append(Html.num(x, 1)).append("\" y=\"").append(Html.num(y - 10, 1)).append("\" text-anchor=\"middle\" fill=\"")
                    .append(p.marked() ? ReportStyle.RED : "#1f2933").append("\">").append(esc(format.apply(p.value()))).append("</text>");
        }
        if (!path.isEmpty()) {
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(ReportStyle.BLUE).append("\" stroke-width=\"2\"/>");
        }
        return svg.append(dots).append("</svg>").toString();
    }
}
