package io.mailprobe.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** results.png: throughput against its bound per run, and the latency distribution of the half-load run. */
final class Charts {

  private Charts() {}

  @SuppressWarnings("unchecked")
  static void write(Path file, Map<String, Object> figures, Map<String, Object> json, BenchParams p)
      throws IOException {
    int w = 800;
    int h = 520;
    BufferedImage img = new BufferedImage(2 * w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 2 * w, h);

    CategoryChart bars =
        new CategoryChartBuilder()
            .width(w)
            .height(h)
            .title(String.format("Throughput vs bound (%s addresses, R = %d ms, c = %d, k = %d)",
                ((Map<String, Object>) json.get("params")).get("addresses"), p.replyLatency.toMillis(), p.c, p.k))
            .xAxisTitle("run")
            .yAxisTitle("checks per second")
            .build();
    bars.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    bars.getStyler().setLabelsVisible(true);
    List<String> names = new ArrayList<>();
    List<Double> measured = new ArrayList<>();
    List<Double> bound = new ArrayList<>();
    addBar(figures, "throughput (reuse, k=" + p.k + ")", "reuse k=" + p.k, names, measured, bound);
    addBar(figures, "throughput (one session per address)", "one per address", names, measured, bound);
    addBar(figures, "throughput of the others with one blackholed MX", "1 MX blackholed", names, measured, bound);
    if (!names.isEmpty()) {
      bars.addSeries("measured", names, measured);
      bars.addSeries("bound (blackholed: the run without it)", names, bound);
    } else {
      bars.addSeries("none", List.of("-"), List.of(0.0));
    }
    bars.paint(g, w, h);

    XYChart cdf =
        new XYChartBuilder()
            .width(w)
            .height(h)
            .title("Event -> verdict latency at half of peak load (CDF)")
            .xAxisTitle("latency (ms)")
            .yAxisTitle("share of events")
            .build();
    cdf.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    cdf.getStyler().setYAxisDecimalPattern("0.00");
    cdf.getStyler().setYAxisMin(0.0);
    cdf.getStyler().setYAxisMax(1.0);
    cdf.getStyler().setYAxisTickMarkSpacingHint(60);
    boolean any = false;
    for (String key : List.of("latency_written_ms", "latency_visible_ms")) {
      Object o = json.get(key);
      if (o instanceof List<?> list && !list.isEmpty()) {
        double[] sorted = ((List<Long>) list).stream().mapToDouble(Long::doubleValue).sorted().toArray();
        int points = Math.min(sorted.length, 400); // a smooth curve without one point per event
        double[] xs = new double[points];
        double[] ys = new double[points];
        for (int i = 0; i < points; i++) {
          int at = (int) Math.round((i + 1.0) * sorted.length / points) - 1;
          xs[i] = sorted[at];
          ys[i] = (at + 1.0) / sorted.length;
        }
        cdf.addSeries(key.equals("latency_written_ms") ? "verdict written" : "verdict visible (read_committed)", xs, ys)
            .setMarker(SeriesMarkers.NONE);
        any = true;
      }
    }
    if (!any) {
      cdf.addSeries("no latency run", new double[] {0}, new double[] {0});
    }
    Graphics2D right = (Graphics2D) g.create(w, 0, w, h);
    cdf.paint(right, w, h);
    right.dispose();
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  @SuppressWarnings("unchecked")
  private static void addBar(
      Map<String, Object> figures, String key, String label, List<String> names, List<Double> measured,
      List<Double> bound) {
    Object f = figures.get(key);
    if (f instanceof Map<?, ?> m && m.get("bound") != null) {
      names.add(label);
      measured.add(round((Double) ((Map<String, Object>) m).get("measured")));
      bound.add(round((Double) ((Map<String, Object>) m).get("bound")));
    }
  }

  private static double round(double v) {
    return Math.round(v);
  }
}
