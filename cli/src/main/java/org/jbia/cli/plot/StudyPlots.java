package org.jbia.cli.plot;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plots of a study, drawn from its API answers: the optimisation history (Optuna's
 * plot_optimization_history: each completed trial's score and the best score so far, pruned and
 * failed trials marked at the bottom) and the parameter importances as a bar chart.
 */
public final class StudyPlots {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;
    private static final Color VALUE = new Color(31, 119, 180);
    private static final Color BEST = new Color(214, 39, 40);
    private static final Color OTHER = new Color(150, 150, 150);

    private StudyPlots() {
    }

    /**
     * The score of each trial and the best so far, from the rows of {@code GET /studies/{id}/trials}.
     *
     * @throws IllegalArgumentException when no trial has completed yet
     */
    public static byte[] history(JsonNode trials, String title) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> bestX = new ArrayList<>();
        List<Double> bestY = new ArrayList<>();
        List<Double> otherX = new ArrayList<>();
        for (JsonNode t : trials) {
            double number = t.path("number").asDouble();
            if (t.path("state").asText().equals("COMPLETE")) {
                x.add(number);
                y.add(t.path("value").asDouble());
            } else if (!t.path("state").asText().equals("RUNNING")) {
                otherX.add(number);
            }
            if (t.hasNonNull("best_so_far")) {
                bestX.add(number);
                bestY.add(t.path("best_so_far").asDouble());
            }
        }
        if (x.isEmpty()) {
            throw new IllegalArgumentException("no trial has completed yet, so there is no history to plot");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + ": optimisation history")
                .xAxisTitle("Trial").yAxisTitle("Score (higher is better)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        XYSeries values = chart.addSeries("score", x, y);
        values.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        values.setMarker(SeriesMarkers.CIRCLE);
        values.setMarkerColor(VALUE);
        XYSeries best = chart.addSeries("best so far", bestX, bestY);
        best.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        best.setMarker(SeriesMarkers.NONE);
        best.setLineColor(BEST);
        if (!otherX.isEmpty()) {
            double floor = y.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            List<Double> floorY = new ArrayList<>();
            otherX.forEach(v -> floorY.add(floor));
            XYSeries other = chart.addSeries("pruned or failed", otherX, floorY);
            other.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            other.setMarker(SeriesMarkers.CROSS);
            other.setMarkerColor(OTHER);
        }
        return png(chart);
    }

    /**
     * The importance of each parameter, most important first, from the {@code importances} object of
     * {@code GET /studies/{id}}.
     *
     * @throws IllegalArgumentException when there are no importances (too few completed trials)
     */
    public static byte[] importance(JsonNode importances, String title) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = importances.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            names.add(e.getKey());
            values.add(e.getValue().asDouble());
        }
        if (names.isEmpty() || values.stream().allMatch(v -> v == 0)) {
            throw new IllegalArgumentException("no parameter importances yet: they need several completed trials "
                    + "whose scores differ");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title + ": parameter importances").xAxisTitle("Parameter").yAxisTitle("Importance").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setSeriesColors(new Color[] {VALUE});
        chart.addSeries("importance", names, values);
        return png(chart);
    }

    private static byte[] png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the plot: " + e.getMessage(), e);
        }
    }
}
