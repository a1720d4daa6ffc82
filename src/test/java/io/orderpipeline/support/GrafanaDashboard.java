package io.orderpipeline.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The PromQL queries of a provisioned Grafana dashboard, and the metric names they use. */
public final class GrafanaDashboard {

    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "rate", "irate",
            "increase", "delta", "histogram_quantile", "topk", "bottomk", "abs", "clamp_min", "clamp_max", "and", "or",
            "unless", "offset", "bool", "time", "vector", "scalar");

    private final List<String> queries;

    private GrafanaDashboard(List<String> queries) {
        this.queries = queries;
    }

    public static GrafanaDashboard read(Path file) throws IOException {
        List<String> queries = new ArrayList<>();
        collect(new ObjectMapper().readTree(file.toFile()), queries);
        return new GrafanaDashboard(queries);
    }

    private static void collect(JsonNode node, List<String> queries) {
        if (node.isObject()) {
            JsonNode expr = node.get("expr");
            if (expr != null && expr.isTextual()) {
                queries.add(expr.asText());
            }
            node.forEach(child -> collect(child, queries));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, queries));
        }
    }

    public List<String> queries() {
        return queries;
    }

    /** Every identifier in the queries that is not PromQL itself: label values, matchers and groupings removed. */
    public Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            String bare = QUOTED.matcher(query).replaceAll("");
            bare = LABEL_MATCHERS.matcher(bare).replaceAll("");
            bare = RANGES.matcher(bare).replaceAll("");
            bare = GROUPING.matcher(bare).replaceAll("");
            Matcher m = IDENTIFIER.matcher(bare);
            while (m.find()) {
                if (!PROMQL_WORDS.contains(m.group())) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }
}
