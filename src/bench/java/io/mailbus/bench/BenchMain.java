package io.mailbus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The Mailbus benchmark suite (issue 6): component throughput against stock camel-mail and Postfix smtp-source,
 * end to end from each ingress, cost and scale, the 100 MB message; prints a Markdown report and writes
 * target/bench/results.md and results.json. Run through {@code bash src/bench/run.sh [--quick]}.
 *
 * <p>Arguments: {@code --quick} (1 s runs, fewer messages), {@code --only=component,e2e,big}.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /**
     * After the end-to-end part: its brokers and database leave tens of MB of dirty pages for the kernel to write
     * back; the component cells should not run under that.
     */
    private static void settle() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        Thread.sleep(5_000);
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick") || List.of(args).contains("quick");
        String only = "component,scale,rtt,e2e,big";
        for (String a : args) {
            if (a.startsWith("--only=")) {
                only = a.substring(7);
            }
        }
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Files.createDirectories(out);
        long started = System.nanoTime();
        Report report = new Report(quick);
        report.baseline = Baseline.load(System.getProperty("bench.baseline"));
        try (Sink sink = Sink.start()) {
            report.sinkKind = sink.kind();
            System.out.println("# sink: " + sink.kind() + " on 127.0.0.1:" + sink.port());
            int reps = Integer.getInteger("bench.reps", 3);
            double secs = Double.parseDouble(System.getProperty("bench.seconds", quick ? "1.0" : "2.0"));
            int max = Integer.getInteger("bench.maxMessages", 100_000);
            ComponentBench cb = new ComponentBench(sink, secs, max, out);
            // end to end first, in a JVM nothing else has run in yet: a baseline's run (--only=e2e) starts that way,
            // and after the component peers (camel-mail, vertx-mail, Angus) the JIT's profile of shared code differs
            if (only.contains("e2e")) {
                // a sink of its own: after the end-to-end part's tens of thousands of messages and connections the
                // shared smtp-sink answered the 1-sender component cells (smtp-source's included) 2-3x slower
                try (Sink e2eSink = Sink.start()) {
                    report.e2e = new E2eBench(e2eSink, quick, reps, out).runAll();
                }
                settle();
            }
            if (only.contains("component")) {
                int[] senders = quick ? new int[] { 1, 4, 16 } : new int[] { 1, 4, 16 };
                for (String name : Shapes.names()) {
                    Shapes.Shape shape = Shapes.build(name);
                    report.shapeBytes.put(name, shape.mime().length);
                    for (int s : senders) {
                        System.out.printf(Locale.ROOT, "component %-7s senders=%-2d ...%n", name, s);
                        var cell = cb.cell(shape, s, reps);
                        report.component(name, s, cell);
                        System.out.println("  " + report.componentLine(name, s));
                    }
                }
            }
            if (only.contains("scale")) {
                Shapes.Shape shape = Shapes.build("text2k");
                int[] pools = { 1, 2, 4, 8, 16 };
                System.out.println("pool sweep, text2k, 16 senders ...");
                report.poolSweep = cb.poolSweep(shape, 16, pools, reps);
            }
            if (only.contains("rtt")) {
                double rttSeconds = Double.parseDouble(System.getProperty("bench.rttSeconds", quick ? "2.0" : "3.0"));
                RttBench rtt = new RttBench(cb, sink, rttSeconds, reps);
                report.rtt = rtt.runAll(Shapes.build("text2k"), Long.getLong("bench.oneWayDelayMs", 10));
            }
        }
        if (only.contains("big")) {
            report.big = BigMessage.runChild(out, quick, "http");
            report.bigJms = BigMessage.runChild(out, quick, "jms");
        }
        report.wallSeconds = (System.nanoTime() - started) / 1e9;
        String md = report.markdown();
        System.out.println();
        System.out.println(md);
        Files.writeString(out.resolve("results.md"), md);
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(out.resolve("results.json"), m.writeValueAsString(report.json()));
        System.out.println("written: " + out.resolve("results.md") + ", " + out.resolve("results.json"));
        System.exit(0);
    }
}
