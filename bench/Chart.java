import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Draws the benchmark's results CSV (written by bench/run) as a PNG: on the left the single-order throughput of the
 * pipeline next to the Kafka yardstick (Vert.x and a Kafka producer, no Camel) for each run, in the middle the
 * pipeline's latency percentiles (log scale), on the right the bulk endpoint's end-to-end rate and the sink's drain
 * rates next to PostgreSQL's own; the targets as dashed lines.
 *
 * <pre>java -Djava.awt.headless=true bench/Chart.java RESULTS.csv CHART.png [TITLE]</pre>
 */
public class Chart {

    static final int WIDTH = 2250;
    static final int HEIGHT = 700;
    static final Color PIPELINE = new Color(0x1f77b4);
    static final Color BARE = new Color(0xa0a0a0);
    static final Color[] PERCENTILES = {new Color(0x9ecae1), new Color(0x4292c6), new Color(0x08519c), new Color(0xe6550d)};
    static final String[] PERCENTILE_COLUMNS = {"lat_p50_ms", "lat_p95_ms", "lat_p99_ms", "lat_max_ms"};
    static final String[] PERCENTILE_NAMES = {"p50", "p95", "p99", "max"};
    static final Color TARGET = new Color(0xd62728);
    static final Color BULK = new Color(0x2ca02c);
    static final Color COLD = new Color(0xfdae6b);
    static final Color WARM = new Color(0xe6550d);
    static final Color GRID = new Color(0xe4e4e4);
    static final Color TEXT = new Color(0x222222);

    static final double TARGET_RPS = 15_000;
    static final double TARGET_P99_MS = 10;
    static final double TARGET_RATIO = 0.85;
    static final double TARGET_BULK = 60_000;
    static final double TARGET_DRAIN_RATIO = 0.70;

    record Row(String run, Map<String, Double> values) {
        double get(String column) {
            return values.getOrDefault(column, Double.NaN);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java -Djava.awt.headless=true bench/Chart.java RESULTS.csv CHART.png [TITLE]");
            System.exit(2);
        }
        List<Row> rows = read(Path.of(args[0]));
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(args[0] + " has no results");
        }
        String title = args.length > 2 ? args[2] : "order-pipeline benchmark";

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        centered(g, title, WIDTH / 2, 34);

        throughput(g, rows, 90, 110, 620, 470);
        latency(g, rows, 850, 110, 610, 470);
        bulkAndSink(g, rows, 1600, 110, 600, 470);

        g.dispose();
        File out = new File(args[1]);
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer");
        }
        System.out.println("chart written to " + out);
    }

    static List<Row> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            Map<String, Double> values = new HashMap<>();
            for (int i = 1; i < header.length && i < cells.length; i++) {
                try {
                    values.put(header[i], Double.parseDouble(cells[i]));
                } catch (NumberFormatException e) {
                    // empty: not measured
                }
            }
            rows.add(new Row(cells[0], values));
        }
        return rows;
    }

    static String label(Row row) {
        return row.run().equals("median") ? "median" : "run " + row.run();
    }

    // ---- left: req/s of the pipeline and of bare Vert.x ------------------------------------------------------------

    static void throughput(Graphics2D g, List<Row> rows, int x, int y, int w, int h) {
        double max = TARGET_RPS;
        for (Row r : rows) {
            max = Math.max(max, finite(r.get("rps")));
            max = Math.max(max, finite(r.get("bare_rps")));
        }
        double top = niceCeiling(max * 1.12);
        panelTitle(g, "Throughput: req/s (higher is better)", x + w / 2, y - 30);

        linearGrid(g, x, y, w, h, top);
        axisTitle(g, "requests per second", x - 72, y + h / 2);

        int groups = rows.size();
        double groupWidth = (double) w / groups;
        int bar = (int) Math.min(90, groupWidth * 0.32);
        for (int i = 0; i < groups; i++) {
            Row r = rows.get(i);
            int cx = x + (int) (groupWidth * (i + 0.5));
            bar(g, cx - bar - 3, bar, y, h, top, r.get("rps"), PIPELINE, thousands(r.get("rps")));
            bar(g, cx + 3, bar, y, h, top, r.get("bare_rps"), BARE, thousands(r.get("bare_rps")));
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            centered(g, label(r), cx, y + h + 24);
            double ratio = r.get("ratio");
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.setColor(Double.isFinite(ratio) && ratio < TARGET_RATIO ? TARGET : TEXT);
            centered(g, Double.isFinite(ratio) ? String.format(Locale.ROOT, "ratio %.3f", ratio) : "ratio n/a", cx,
                    y + h + 44);
        }
        targetLine(g, x, w, y + h - (int) Math.round(h * TARGET_RPS / top));
        g.setColor(TEXT);
        g.drawLine(x, y + h, x + w, y + h);
        g.drawLine(x, y, x, y + h);

        legend(g, x, y + h + 72, new String[] {"order-pipeline, end to end", "Kafka yardstick (no Camel)",
                "target 15,000 req/s"}, new Color[] {PIPELINE, BARE, null});
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.setColor(TEXT);
        g.drawString(String.format(Locale.ROOT, "ratio = pipeline req/s / yardstick req/s of the same run (target >= %.2f)",
                TARGET_RATIO), x, y + h + 96);
    }

    /** Grid lines of a linear axis from 0 to {@code top} in five steps, each labelled on the left. */
    static void linearGrid(Graphics2D g, int x, int y, int w, int h, double top) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int ticks = 5;
        for (int i = 0; i <= ticks; i++) {
            double v = top * i / ticks;
            int yy = y + h - (int) Math.round(h * v / top);
            g.setColor(GRID);
            g.drawLine(x, yy, x + w, yy);
            g.setColor(TEXT);
            rightAligned(g, thousands(v), x - 8, yy + 5);
        }
    }

    // ---- right: bulk end to end, the sink's drains and PostgreSQL's own rate ---------------------------------------------

    static final String[] SINK_COLUMNS = {"bulk_e2e_orders_s", "drain_cold_rows_s", "drain_warm_rows_s", "drain_warm_pg_rows_s"};
    static final Color[] SINK_COLORS = {BULK, COLD, WARM, BARE};

    static void bulkAndSink(Graphics2D g, List<Row> rows, int x, int y, int w, int h) {
        double max = TARGET_BULK;
        for (Row r : rows) {
            for (String c : SINK_COLUMNS) {
                max = Math.max(max, finite(r.get(c)));
            }
        }
        double top = niceCeiling(max * 1.12);
        panelTitle(g, "Bulk and sink: orders/s (higher is better)", x + w / 2, y - 30);
        linearGrid(g, x, y, w, h, top);
        double groupWidth = (double) w / rows.size();
        int bar = (int) Math.min(60, groupWidth * 0.2);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int cx = x + (int) (groupWidth * (i + 0.5));
            for (int b = 0; b < SINK_COLUMNS.length; b++) {
                double v = r.get(SINK_COLUMNS[b]);
                bar(g, cx - 2 * (bar + 2) + b * (bar + 2), bar, y, h, top, v, SINK_COLORS[b], thousands(v));
            }
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            centered(g, label(r), cx, y + h + 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            double cold = r.get("drain_cold_ratio");
            double warm = r.get("drain_warm_ratio");
            g.setColor(Double.isFinite(warm) && warm < TARGET_DRAIN_RATIO ? TARGET : TEXT);
            centered(g, "drain ratio cold " + ratio(cold) + ", warm " + ratio(warm), cx,
                    y + h + 44);
        }
        targetLine(g, x, w, y + h - (int) Math.round(h * TARGET_BULK / top));
        g.setColor(TEXT);
        g.drawLine(x, y + h, x + w, y + h);
        g.drawLine(x, y, x, y + h);
        legend(g, x, y + h + 72, new String[] {"bulk e2e", "drain cold", "drain warm",
                "PostgreSQL", "60,000"}, new Color[] {BULK, COLD, WARM, BARE, null});
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.setColor(TEXT);
        g.drawString(String.format(Locale.ROOT, "drain ratio = sink rows/s / PostgreSQL's rows/s (target >= %.2f)",
                TARGET_DRAIN_RATIO), x, y + h + 96);
    }

    // ---- right: latency percentiles of the pipeline, log scale -------------------------------------------------------

    static void latency(Graphics2D g, List<Row> rows, int x, int y, int w, int h) {
        double min = TARGET_P99_MS / 2; // the target line never sits on the axis
        double max = TARGET_P99_MS;
        for (Row r : rows) {
            for (String c : PERCENTILE_COLUMNS) {
                double v = r.get(c);
                if (Double.isFinite(v) && v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double lo = Math.pow(10, Math.floor(Math.log10(min)));
        double hi = Math.pow(10, Math.ceil(Math.log10(max * 1.5)));
        panelTitle(g, "Pipeline latency percentiles: ms, log scale (lower is better)", x + w / 2, y - 30);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (double v = lo; v <= hi * 1.0001; v *= 10) {
            int yy = logY(v, lo, hi, y, h);
            g.setColor(GRID);
            g.drawLine(x, yy, x + w, yy);
            for (int k = 2; k < 10 && v * k < hi; k++) {
                int minor = logY(v * k, lo, hi, y, h);
                g.setColor(new Color(0xf2f2f2));
                g.drawLine(x, minor, x + w, minor);
            }
            g.setColor(TEXT);
            rightAligned(g, number(v), x - 8, yy + 5);
        }
        axisTitle(g, "milliseconds", x - 62, y + h / 2);

        int groups = rows.size();
        double groupWidth = (double) w / groups;
        int bar = (int) Math.min(46, groupWidth * 0.8 / PERCENTILE_COLUMNS.length);
        for (int i = 0; i < groups; i++) {
            Row r = rows.get(i);
            int cx = x + (int) (groupWidth * (i + 0.5));
            int left = cx - bar * PERCENTILE_COLUMNS.length / 2;
            for (int p = 0; p < PERCENTILE_COLUMNS.length; p++) {
                double v = r.get(PERCENTILE_COLUMNS[p]);
                int bx = left + p * bar;
                if (!Double.isFinite(v) || v <= 0) {
                    continue;
                }
                int top = logY(v, lo, hi, y, h);
                g.setColor(PERCENTILES[p]);
                g.fillRect(bx + 2, top, bar - 4, y + h - top);
                g.setColor(TEXT);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                centered(g, number(v), bx + bar / 2, top - 5);
            }
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            centered(g, label(r), cx, y + h + 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            double errors = r.get("errors");
            g.setColor(Double.isFinite(errors) && errors > 0 ? TARGET : TEXT);
            centered(g, Double.isFinite(errors) ? thousands(errors) + " errors" : "", cx, y + h + 44);
        }
        targetLine(g, x, w, logY(TARGET_P99_MS, lo, hi, y, h));
        g.setColor(TEXT);
        g.drawLine(x, y + h, x + w, y + h);
        g.drawLine(x, y, x, y + h);

        String[] names = java.util.Arrays.copyOf(PERCENTILE_NAMES, PERCENTILE_NAMES.length + 1);
        names[names.length - 1] = "p99 target 10 ms";
        Color[] colors = java.util.Arrays.copyOf(PERCENTILES, PERCENTILES.length + 1);
        legend(g, x, y + h + 72, names, colors);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.setColor(TEXT);
        g.drawString("wrk latency of the measured window; errors: non-200 answers and socket errors", x, y + h + 96);
    }

    static int logY(double v, double lo, double hi, int y, int h) {
        double f = (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        return y + h - (int) Math.round(h * Math.max(0, Math.min(1, f)));
    }

    // ---- drawing helpers ------------------------------------------------------------------------------------------

    static void bar(Graphics2D g, int bx, int bw, int y, int h, double top, double v, Color color, String text) {
        if (!Double.isFinite(v)) {
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 13));
            centered(g, "n/a", bx + bw / 2, y + h - 6);
            return;
        }
        int bh = (int) Math.round(h * v / top);
        g.setColor(color);
        g.fillRect(bx, y + h - bh, bw, bh);
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        centered(g, text, bx + bw / 2, y + h - bh - 6);
    }

    static void targetLine(Graphics2D g, int x, int w, int yy) {
        Stroke old = g.getStroke();
        g.setColor(TARGET);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {9f, 6f}, 0f));
        g.drawLine(x, yy, x + w, yy);
        g.setStroke(old);
    }

    static void legend(Graphics2D g, int x, int y, String[] names, Color[] colors) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        int xx = x;
        for (int i = 0; i < names.length; i++) {
            if (colors[i] == null) { // the dashed target line
                Stroke old = g.getStroke();
                g.setColor(TARGET);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                g.drawLine(xx, y - 4, xx + 18, y - 4);
                g.setStroke(old);
            } else {
                g.setColor(colors[i]);
                g.fillRect(xx, y - 12, 16, 16);
            }
            g.setColor(TEXT);
            g.drawString(names[i], xx + 22, y + 2);
            xx += 22 + fm.stringWidth(names[i]) + 28;
        }
    }

    static void panelTitle(Graphics2D g, String text, int cx, int y) {
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        centered(g, text, cx, y);
    }

    static void axisTitle(Graphics2D g, String text, int x, int cy) {
        Graphics2D r = (Graphics2D) g.create();
        r.setColor(TEXT);
        r.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        r.rotate(-Math.PI / 2, x, cy);
        centered(r, text, x, cy);
        r.dispose();
    }

    static void centered(Graphics2D g, String text, int cx, int y) {
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    static void rightAligned(Graphics2D g, String text, int right, int y) {
        g.drawString(text, right - g.getFontMetrics().stringWidth(text), y);
    }

    static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String thousands(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.0f", v) : "n/a";
    }

    static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "n/a";
    }

    static String number(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
