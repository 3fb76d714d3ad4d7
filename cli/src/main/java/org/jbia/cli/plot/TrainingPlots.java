package org.jbia.cli.plot;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plots of one training job, drawn from its report ({@code report.json} of a model bundle, or
 * {@code GET /jobs/{id}/report}): the training history (pyBIA's {@code plot_performance}: accuracy,
 * loss and F1 per epoch, with their validation curves) and the ROC curves of the evaluations.
 */
public final class TrainingPlots {
    /** The history panels, left to right: the metric and its title. */
    static final List<String[]> HISTORY_PANELS = List.of(
            new String[] {"binary_accuracy", "Accuracy"},
            new String[] {"loss", "Loss"},
            new String[] {"f1_score", "F1 (positive class)"});
    private static final int PANEL_WIDTH = 520;
    private static final int PANEL_HEIGHT = 400;

    private TrainingPlots() {
    }

    /**
     * Accuracy, loss and F1 per epoch side by side, training and validation curves in each; the epoch
     * whose weights were kept is marked.
     *
     * @throws IllegalArgumentException when the report has no history
     */
    public static byte[] history(JsonNode report) {
        JsonNode history = report.path("history");
        if (!history.isObject() || history.isEmpty()) {
            throw new IllegalArgumentException("the report has no training history (field 'history' is missing or "
                    + "empty): is it a jBIA training report?");
        }
        String network = report.path("network").asText("model");
        int kept = report.path("kept_epoch").asInt(0);
        List<BufferedImage> panels = new ArrayList<>();
        for (String[] panel : HISTORY_PANELS) {
            XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                    .title(network + ": " + panel[1]).xAxisTitle("Epoch").yAxisTitle(panel[1]).build();
            style(chart);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
            addCurve(chart, "training", history.path(panel[0]), new Color(31, 119, 180));
            addCurve(chart, "validation", history.path("val_" + panel[0]), new Color(255, 127, 14));
            if (chart.getSeriesMap().isEmpty()) {
                chart.setTitle(network + ": " + panel[1] + " (not recorded)");
                chart.addSeries("none", new double[] {1}, new double[] {0}).setMarker(SeriesMarkers.NONE);
            } else if (kept > 0) {
                markEpoch(chart, kept, history.path(panel[0]), history.path("val_" + panel[0]));
            }
            panels.add(BitmapEncoder.getBufferedImage(chart));
        }
        return png(sideBySide(panels));
    }

    /**
     * The ROC curve of each evaluation in the report (validation, test), with its AUROC and the
     * true-positive rates at 0 and 10 false positives in the legend, and the chance diagonal.
     *
     * @throws IllegalArgumentException when the report has no evaluation
     */
    public static byte[] roc(JsonNode report) {
        JsonNode evaluations = report.path("evaluation");
        if (!evaluations.isObject() || evaluations.isEmpty()) {
            throw new IllegalArgumentException("the report has no evaluation (field 'evaluation' is missing or empty): "
                    + "train with validation or test data to get a ROC curve");
        }
        XYChart chart = new XYChartBuilder().width(640).height(600)
                .title(report.path("network").asText("model") + ": ROC curve")
                .xAxisTitle("False-positive rate").yAxisTitle("True-positive rate").build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        chance.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        Color[] colours = {new Color(214, 39, 40), new Color(31, 119, 180), new Color(44, 160, 44)};
        int i = 0;
        for (var it = evaluations.fields(); it.hasNext(); i++) {
            var entry = it.next();
            JsonNode e = entry.getValue();
            double[] fpr = doubles(e.path("roc_fpr"));
            double[] tpr = doubles(e.path("roc_tpr"));
            if (fpr.length == 0 || fpr.length != tpr.length) {
                throw new IllegalArgumentException("evaluation '" + entry.getKey() + "' has no ROC curve (roc_fpr "
                        + fpr.length + " points, roc_tpr " + tpr.length + " points: they must be as many, and not none)");
            }
            String label = String.format(Locale.ROOT, "%s (%d+%d): AUROC %.3f, TPR@0FP %.2f, TPR@10FP %.2f",
                    entry.getKey(), e.path("positives").asInt(), e.path("negatives").asInt(), e.path("auroc").asDouble(),
                    e.path("tpr0").asDouble(), e.path("tpr10").asDouble());
            XYSeries curve = chart.addSeries(label, fpr, tpr);
            curve.setMarker(SeriesMarkers.NONE);
            curve.setLineColor(colours[i % colours.length]);
            curve.setLineStyle(new BasicStroke(2f));
        }
        return png(BitmapEncoder.getBufferedImage(chart));
    }

    private static void style(XYChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setLegendBorderColor(Color.LIGHT_GRAY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setDecimalPattern("#0.###");
    }

    private static void addCurve(XYChart chart, String name, JsonNode values, Color colour) {
        double[] y = doubles(values);
        if (y.length == 0) {
            return;
        }
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = i + 1;
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        series.setMarker(SeriesMarkers.CIRCLE);
    }

    /** A single marker on the kept epoch, on whichever curve has it. */
    private static void markEpoch(XYChart chart, int epoch, JsonNode training, JsonNode validation) {
        double[] y = doubles(validation.isArray() && validation.size() >= epoch ? validation : training);
        if (y.length < epoch) {
            return;
        }
        XYSeries mark = chart.addSeries("kept (epoch " + epoch + ")", new double[] {epoch}, new double[] {y[epoch - 1]});
        mark.setMarker(SeriesMarkers.DIAMOND);
        mark.setMarkerColor(Color.BLACK);
        mark.setLineColor(new Color(0, 0, 0, 0));
    }

    static double[] doubles(JsonNode array) {
        if (!array.isArray()) {
            return new double[0];
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble(Double.NaN);
        }
        return out;
    }

    private static BufferedImage sideBySide(List<BufferedImage> panels) {
        int width = panels.stream().mapToInt(BufferedImage::getWidth).sum();
        int height = panels.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage panel : panels) {
            g.drawImage(panel, x, 0, null);
            x += panel.getWidth();
        }
        g.dispose();
        return out;
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the plot as PNG", e);
        }
        return bytes.toByteArray();
    }
}
