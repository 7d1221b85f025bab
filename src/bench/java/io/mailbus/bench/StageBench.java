package io.mailbus.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The component benchmark's stage cell alone (issue 13 part 0): the stage (render per message + smtp-pool) and the
 * SMTP step (bytes rendered once) against the same sink, interleaved, without camel-mail and smtp-source, so a change
 * to the render or write path can be measured in seconds. CPU per 1,000 messages is the whole JVM's, as in the
 * component table. Not part of {@link BenchMain}'s suite: run it with
 * {@code java -cp target/classes:target/test-classes:<test classpath> io.mailbus.bench.StageBench [shape] [senders]
 * [runs] [seconds]} after {@code mvn -Pbench test-compile}.
 */
public final class StageBench {

    private StageBench() {
    }

    public static void main(String[] args) throws Exception {
        String shapeName = args.length > 0 ? args[0] : "text2k";
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 2.0;
        Shapes.Shape shape = Shapes.build(shapeName);
        try (Sink sink = Sink.start()) {
            ComponentBench bench = new ComponentBench(sink, seconds, 100_000, Files.createTempDirectory("stage"));
            List<Run> step = new ArrayList<>();
            List<Run> stage = new ArrayList<>();
            try (ComponentBench.JavaPeer mb = bench.mailbus(shape.mime(), senders);
                 ComponentBench.JavaPeer st = bench.stage(shape, senders)) {
                bench.run(mb, senders, 1.0, 100_000);
                bench.run(st, senders, 1.0, 100_000);
                for (int r = 0; r < reps; r++) {
                    step.add(bench.run(mb, senders, seconds, 100_000));
                    stage.add(bench.run(st, senders, seconds, 100_000));
                }
            }
            System.out.printf(Locale.ROOT, "%s, %d senders, sink %s, %d runs of %.1f s (median):%n", shapeName, senders,
                              sink.kind(), reps, seconds);
            print("SMTP step (bytes once)", step);
            print("stage (render + smtp-pool)", stage);
        }
    }

    private static void print(String name, List<Run> runs) {
        double[] rate = runs.stream().mapToDouble(Run::rate).sorted().toArray();
        double[] cpu = runs.stream().mapToDouble(Run::cpuPer1k).sorted().toArray();
        System.out.printf(Locale.ROOT, "  %-28s %8.0f msg/s  %.3f CPU-s/1k  (cpu min %.3f max %.3f)%n", name,
                          rate[rate.length / 2], cpu[cpu.length / 2], cpu[0], cpu[cpu.length - 1]);
    }
}
