package io.mailbus.bench;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

import io.mailbus.mime.MimeDataFormat;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestValidator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * CPU of the deliver route's {@code marshal: mailbusMime} step alone, per message: the shape's request is validated
 * once, as the route's validator step does, and the validated request is then rendered again and again on one thread,
 * timed by that thread's CPU clock (so other work on a shared machine does not count, only this step's own work).
 * Not part of {@link BenchMain}'s suite: run it with
 * {@code java -cp target/classes:target/test-classes:<test classpath> io.mailbus.bench.MimeRenderBench [shape] [n]}
 * after {@code mvn -Pbench test-compile}.
 */
public final class MimeRenderBench {

    private MimeRenderBench() {
    }

    public static void main(String[] args) throws Exception {
        String shape = args.length > 0 ? args[0] : "text2k";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = 7;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.start();
            SendRequest request = validated(ctx, Shapes.build(shape).request());
            MimeDataFormat format = new MimeDataFormat();
            format.setMessageIdDomain("mailbus.bench");
            format.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            render(ctx, format, request, out, n * 2); // warm-up: JIT
            double[] microsPerMessage = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long cpu = threads.getCurrentThreadCpuTime();
                render(ctx, format, request, out, n);
                microsPerMessage[r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / n;
            }
            Arrays.sort(microsPerMessage);
            System.out.printf(Locale.ROOT, "%s: %d bytes of MIME; render CPU per message: median %.1f us "
                            + "(min %.1f, max %.1f; %d rounds of %d)%n", shape, out.size(),
                    microsPerMessage[rounds / 2], microsPerMessage[0], microsPerMessage[rounds - 1], rounds, n);
        }
    }

    private static SendRequest validated(CamelContext ctx, SendRequest raw) throws Exception {
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setBody(raw);
        new SendRequestValidator(100).process(e);
        return e.getMessage().getBody(SendRequest.class);
    }

    private static void render(CamelContext ctx, MimeDataFormat format, SendRequest request, ByteArrayOutputStream out,
                               int n) throws Exception {
        for (int i = 0; i < n; i++) {
            out.reset();
            format.marshal(new DefaultExchange(ctx), request, out);
        }
    }
}
