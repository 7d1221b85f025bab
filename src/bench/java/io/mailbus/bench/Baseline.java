package io.mailbus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Today's commit as a peer (issue 13 part 1): the end-to-end figures of an older build, read from the results.json
 * its own benchmark wrote moments before in the same {@code run.sh --baseline=<commit>} run, so the part-1 targets
 * ("≥ 4× today's msg/s") compare two builds on the same machine under the same load, not against a number from a
 * README. Only the shipped variant ({@code mailbus}) is read; its medians are taken as this build's report takes its
 * own.
 */
final class Baseline {

    /** One shape × ingress of the baseline: median msg/s and median CPU-seconds per 1,000 messages. */
    record Cell(double rate, double cpuPer1k) {
    }

    final String commit;
    final Path file;
    /** Why the file could not be read, or null. */
    final String problem;
    private final Map<String, Cell> cells;

    private Baseline(String commit, Path file, String problem, Map<String, Cell> cells) {
        this.commit = commit;
        this.file = file;
        this.problem = problem;
        this.cells = cells;
    }

    /** The baseline named by {@code -Dbench.baseline}, or null when the run has none. */
    static Baseline load(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        Path file = Path.of(path);
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(file));
            Map<String, Cell> cells = new LinkedHashMap<>();
            for (JsonNode result : root.path("e2e")) {
                if (!E2eBench.MAILBUS.equals(result.path("variant").asText())) {
                    continue;
                }
                List<Double> rates = new ArrayList<>(), cpu = new ArrayList<>();
                for (JsonNode run : result.path("runs")) {
                    long delivered = run.path("delivered").asLong();
                    double seconds = run.path("seconds").asDouble();
                    rates.add(seconds <= 0 ? 0 : delivered / seconds);
                    cpu.add(run.path("cpuSeconds").asDouble() / Math.max(1, delivered) * 1000);
                }
                cells.put(key(result.path("ingress").asText(), result.path("shape").asText()),
                          new Cell(Stats.median(rates), Stats.median(cpu)));
            }
            String problem = cells.isEmpty() ? "no end-to-end results in " + file : null;
            return new Baseline(root.path("commit").asText("?"), file, problem, cells);
        } catch (Exception e) {
            return new Baseline("?", file, "unreadable " + file + ": " + e.getMessage(), Map.of());
        }
    }

    /** The baseline's cell, or null when its run did not measure it. */
    Cell cell(String ingress, String shape) {
        return cells.get(key(ingress, shape));
    }

    private static String key(String ingress, String shape) {
        return ingress + "/" + shape;
    }
}
