package dev.vreg.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a run: per row, the samples of every server in the alternating rounds, printed as their median
 * with the ratios the goals are stated in.
 */
final class Table {

    /** A row: what was measured, in which unit, whether more is better, and the samples per server. */
    private record Row(String name, String unit, boolean higherIsBetter, Map<String, List<Double>> samples) {
    }

    private final List<String> columns;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    Table(List<String> columns) {
        this.columns = columns;
    }

    void add(String row, String unit, boolean higherIsBetter, String column, double value) {
        rows.computeIfAbsent(row, r -> new Row(r, unit, higherIsBetter, new LinkedHashMap<>()))
                .samples().computeIfAbsent(column, c -> new ArrayList<>()).add(value);
    }

    void note(String text) {
        notes.add(text);
    }

    OptionalMedian median(String row, String column) {
        Row r = rows.get(row);
        List<Double> values = r == null ? null : r.samples().get(column);
        return values == null || values.isEmpty() ? new OptionalMedian(Double.NaN) : new OptionalMedian(median(values));
    }

    record OptionalMedian(double value) {
        boolean present() {
            return !Double.isNaN(value);
        }
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A Markdown table: medians per server, then vreg's ratio to each other server (>1 means vreg is better). */
    String render() {
        StringBuilder out = new StringBuilder("| | unit |");
        List<String> others = columns.stream().filter(c -> !c.equals("vreg")).toList();
        columns.forEach(c -> out.append(' ').append(c).append(" |"));
        others.forEach(c -> out.append(" vreg vs ").append(c).append(" |"));
        out.append("\n|---|---|");
        out.append("---|".repeat(columns.size() + others.size())).append('\n');
        for (Row row : rows.values()) {
            out.append("| ").append(row.name()).append(" | ").append(row.unit()).append(" |");
            for (String c : columns) {
                List<Double> values = row.samples().get(c);
                out.append(' ').append(values == null ? "" : format(median(values))).append(" |");
            }
            List<Double> mine = row.samples().get("vreg");
            for (String c : others) {
                List<Double> theirs = row.samples().get(c);
                String ratio = "";
                if (mine != null && theirs != null && median(theirs) != 0 && median(mine) != 0) {
                    double r = row.higherIsBetter() ? median(mine) / median(theirs) : median(theirs) / median(mine);
                    ratio = String.format(Locale.ROOT, "%.2f×", r);
                }
                out.append(' ').append(ratio).append(" |");
            }
            out.append('\n');
        }
        notes.forEach(n -> out.append("\n").append(n));
        return out.toString();
    }

    private static String format(double value) {
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
