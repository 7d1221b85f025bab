package io.mailbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The component benchmark's stage cell alone (issue 13 part 0): the stage (render per message + smtp-pool) and the
 * SMTP step (bytes rendered once) against the same sink, interleaved, without camel-mail and smtp-source, so a change
 * to the render or write path can be measured in seconds. CPU per 1,000 messages is the whole JVM's, as in the
 * component table. Not part of {@link BenchMain}'s suite: run it with
 * {@code java -cp target/classes:target/test-classes:<test classpath> io.mailbus.bench.StageBench [shape] [senders]
 * [runs] [seconds] [both|stage|step]} after {@code mvn -Pbench test-compile}.
 */
public final class StageBench {

    private StageBench() {
    }

    public static void main(String[] args) throws Exception {
        String shapeName = args.length > 0 ? args[0] : "text2k";
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 2.0;
        String only = args.length > 4 ? args[4] : "both"; // "stage" or "step": one peer alone, e.g. for a profile
        Shapes.Shape shape = Shapes.build(shapeName);
        try (Sink sink = Sink.start()) {
            ComponentBench bench = new ComponentBench(sink, seconds, 100_000, Files.createTempDirectory("stage"));
            List<Run> step = new ArrayList<>();
            List<Run> stage = new ArrayList<>();
            try (ComponentBench.JavaPeer mb = bench.mailbus(shape.mime(), senders);
                 ComponentBench.JavaPeer st = bench.stage(shape, senders)) {
                Map<String, Long> threadsBefore = threadTicks();
                long cpuBefore = Stats.processCpuNanos();
                boolean runStep = !only.equals("stage");
                boolean runStage = !only.equals("step");
                for (int r = -1; r < reps; r++) { // round -1: warm-up
                    if (runStep) {
                        Run run = bench.run(mb, senders, r < 0 ? 1.0 : seconds, 100_000);
                        if (r >= 0) {
                            step.add(run);
                        }
                    }
                    if (runStage) {
                        Run run = bench.run(st, senders, r < 0 ? 1.0 : seconds, 100_000);
                        if (r >= 0) {
                            stage.add(run);
                        }
                    }
                }
                printThreadShares(threadsBefore, threadTicks(), Stats.processCpuNanos() - cpuBefore);
            }
            System.out.printf(Locale.ROOT, "%s, %d senders, sink %s, %d runs of %.1f s (median):%n", shapeName, senders,
                              sink.kind(), reps, seconds);
            print("SMTP step (bytes once)", step);
            print("stage (render + smtp-pool)", stage);
        }
    }

    /** CPU clock ticks of this JVM's live threads by name (digits dropped), from /proc/self/task; empty elsewhere. */
    private static Map<String, Long> threadTicks() {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9#]+", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name + "@" + task.getFileName(), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Where the JVM's CPU went during the measured runs: threads that lived throughout by name, the rest as senders. */
    private static void printThreadShares(Map<String, Long> before, Map<String, Long> after, long processNanos) {
        Map<String, Long> byName = new TreeMap<>();
        long survivors = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                byName.merge(e.getKey().substring(0, e.getKey().indexOf('@')), d, Long::sum);
                survivors += d;
            }
        }
        double total = processNanos / 1e7; // ticks of 10 ms
        System.out.printf(Locale.ROOT, "  CPU by thread: %.0f ticks in all, senders and other ended threads %.0f%%", total,
                          100 * (total - survivors) / total);
        byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(e -> System.out.printf(Locale.ROOT, ", %s %.0f%%", e.getKey().trim(), 100 * e.getValue() / total));
        System.out.println();
    }

    private static void print(String name, List<Run> runs) {
        if (runs.isEmpty()) {
            return;
        }
        double[] rate = runs.stream().mapToDouble(Run::rate).sorted().toArray();
        double[] cpu = runs.stream().mapToDouble(Run::cpuPer1k).sorted().toArray();
        System.out.printf(Locale.ROOT, "  %-28s %8.0f msg/s  %.3f CPU-s/1k  (cpu min %.3f max %.3f)%n", name,
                          rate[rate.length / 2], cpu[cpu.length / 2], cpu[0], cpu[cpu.length - 1]);
    }
}
