import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds the stack samples of `jfr print --events jdk.ExecutionSample` into a collapsed-stack file, a flame graph
 * (SVG) and a summary (Markdown: the samples by thread, by the package that spends them, by frame).
 *
 * <pre>
 * java bench/Flame.java SAMPLES.txt OUT-PREFIX TITLE     (writes OUT-PREFIX.collapsed, .svg, .md)
 * </pre>
 */
public class Flame {

    /** Packages named in the summary, most specific first; the rest are "other". */
    private static final String[][] AREAS = {
            {"io.orderpipeline.", "order-pipeline"}, {"org.apache.camel.component.kafka.", "camel-kafka"},
            {"org.apache.camel.component.platform.http.", "camel-platform-http"},
            {"org.apache.camel.opentelemetry", "camel tracing"}, {"org.apache.camel.telemetry", "camel tracing"},
            {"org.apache.camel.component.micrometer", "camel metrics"}, {"org.apache.camel.language.simple", "camel simple"},
            {"org.apache.camel.", "camel core"}, {"io.opentelemetry.", "opentelemetry"}, {"io.micrometer.", "micrometer"},
            {"org.apache.kafka.", "kafka client"}, {"io.vertx.", "vert.x"}, {"io.netty.", "netty"},
            {"com.fasterxml.jackson.", "jackson"}, {"java.", "jdk"}, {"jdk.", "jdk"}, {"sun.", "jdk"}};

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        Map<String, Integer> folded = new HashMap<>();
        String thread = null;
        List<String> frames = null;
        for (String line : lines) {
            String t = line.trim();
            if (t.startsWith("sampledThread = ")) {
                int q = t.indexOf('"');
                thread = t.substring(q + 1, t.indexOf('"', q + 1)).replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-");
            } else if (t.startsWith("stackTrace = [")) {
                frames = new ArrayList<>();
            } else if (frames != null && t.equals("]")) {
                Collections.reverse(frames);
                folded.merge(thread + ";" + String.join(";", frames), 1, Integer::sum);
                frames = null;
            } else if (frames != null && !t.isEmpty() && !t.equals("...")) {
                int cut = t.indexOf(" line:");
                String frame = cut > 0 ? t.substring(0, cut) : t;
                int paren = frame.indexOf('(');
                frames.add((paren > 0 ? frame.substring(0, paren) : frame).replace(';', ':'));
            }
        }
        int total = folded.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            throw new IllegalStateException("no jdk.ExecutionSample events in " + args[0]);
        }
        StringBuilder collapsed = new StringBuilder();
        new TreeMap<>(folded).forEach((stack, n) -> collapsed.append(stack).append(' ').append(n).append('\n'));
        Files.writeString(Path.of(args[1] + ".collapsed"), collapsed);
        Files.writeString(Path.of(args[1] + ".svg"), svg(folded, total, args[2]));
        Files.writeString(Path.of(args[1] + ".md"), summary(folded, total, args[2]));
    }

    static String area(String frame) {
        for (String[] a : AREAS) {
            if (frame.startsWith(a[0])) {
                return a[1];
            }
        }
        return "other";
    }

    private static String summary(Map<String, Integer> folded, int total, String title) {
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> selfByArea = new HashMap<>();
        Map<String, Integer> selfByFrame = new HashMap<>();
        Map<String, Integer> inclusiveByArea = new HashMap<>();
        folded.forEach((stack, n) -> {
            String[] f = stack.split(";");
            byThread.merge(f[0], n, Integer::sum);
            String leaf = f[f.length - 1];
            selfByArea.merge(area(leaf), n, Integer::sum);
            selfByFrame.merge(leaf, n, Integer::sum);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 1; i < f.length; i++) {
                if (seen.add(area(f[i]))) {
                    inclusiveByArea.merge(area(f[i]), n, Integer::sum);
                }
            }
        });
        StringBuilder md = new StringBuilder("# " + title + "\n\n" + total + " stack samples (JFR jdk.ExecutionSample,"
                + " settings=profile). Shares of all samples.\n\n");
        table(md, "thread", byThread, total, 12);
        table(md, "package the samples fall in (self)", selfByArea, total, 20);
        table(md, "package on the stack (inclusive: any frame of it)", inclusiveByArea, total, 20);
        table(md, "frame (self)", selfByFrame, total, 30);
        return md.toString();
    }

    private static void table(StringBuilder md, String what, Map<String, Integer> counts, int total, int top) {
        md.append("| ").append(what).append(" | samples | share |\n|---|--:|--:|\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> md.append("| `").append(e.getKey()).append("` | ").append(e.getValue()).append(" | ")
                        .append(String.format("%.1f %%", 100.0 * e.getValue() / total)).append(" |\n"));
        md.append('\n');
    }

    /** A node of the merged stacks. */
    private static final class Node {
        final Map<String, Node> children = new LinkedHashMap<>();
        int count;
    }

    private static String svg(Map<String, Integer> folded, int total, String title) {
        Node root = new Node();
        new TreeMap<>(folded).forEach((stack, n) -> {
            Node node = root;
            node.count += n;
            for (String frame : stack.split(";")) {
                node = node.children.computeIfAbsent(frame, k -> new Node());
                node.count += n;
            }
        });
        int width = 1600;
        int row = 16;
        int depth = depth(root);
        int height = (depth + 2) * row + 30;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width
                + "\" height=\"" + height + "\" font-family=\"monospace\" font-size=\"11\">\n<text x=\"4\" y=\"16\""
                + " font-size=\"14\">" + escape(title) + " (" + total + " samples; hover a frame for its share)</text>\n");
        draw(svg, root, "all", 0, width, height - row, total, width, row);
        return svg.append("</svg>\n").toString();
    }

    private static int depth(Node node) {
        int d = 0;
        for (Node child : node.children.values()) {
            d = Math.max(d, depth(child));
        }
        return d + 1;
    }

    private static void draw(StringBuilder svg, Node node, String name, double x, double w, int y, int total,
                             int width, int row) {
        if (w < 0.5) {
            return;
        }
        String area = area(name);
        int hue = Math.abs(area.hashCode()) % 360;
        svg.append(String.format("<g><title>%s (%d samples, %.2f %%)</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\""
                        + " height=\"%d\" fill=\"hsl(%d,65%%,70%%)\" stroke=\"white\" stroke-width=\"0.5\"/>",
                escape(name), node.count, 100.0 * node.count / total, x, y, w, row - 1, hue));
        if (w > 40) {
            String label = name.substring(Math.max(0, name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
            int chars = (int) (w / 6.5);
            svg.append(String.format("<text x=\"%.1f\" y=\"%d\">%s</text>", x + 2, y + row - 4,
                    escape(label.length() > chars ? label.substring(0, Math.max(0, chars - 1)) + "…" : label)));
        }
        svg.append("</g>\n");
        double cx = x;
        for (Map.Entry<String, Node> child : node.children.entrySet()) {
            double cw = w * child.getValue().count / node.count;
            draw(svg, child.getValue(), child.getKey(), cx, cw, y - row, total, width, row);
            cx += cw;
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
