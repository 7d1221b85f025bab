package io.mailbus.smtppool;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A plain harness, not a test: messages per second of smtp-pool beside stock camel-mail {@code smtp://}, one sender,
 * against the same loopback sink. Run with {@code java -cp target/classes:target/test-classes:<test classpath>
 * io.mailbus.smtppool.SmtpPoolBenchmark [messages]}.
 */
public final class SmtpPoolBenchmark {

    private SmtpPoolBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (ScriptedSmtpServer sink = new ScriptedSmtpServer()) {
            CamelContext context = new DefaultCamelContext();
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            for (int size : new int[] { 2_000, 20_000 }) {
                byte[] raw = TestMessages.raw("<bench@t>", "bench", size);
                String pool = sink.uri("poolMaxTotal=1");
                String stock = "smtp://127.0.0.1:" + sink.port() + "?from=sender@example.com&to=rcpt@example.com";
                run(template, context, pool, raw, n / 10); // warm-up
                run(template, context, stock, raw, n / 10);
                double poolRate = run(template, context, pool, raw, n);
                double stockRate = run(template, context, stock, raw, n);
                System.out.printf("%6d bytes: smtp-pool %8.0f msg/s, stock smtp %8.0f msg/s, ratio %.1fx%n", size,
                                  poolRate, stockRate, poolRate / stockRate);
            }
            context.stop();
        }
    }

    private static double run(ProducerTemplate template, CamelContext context, String uri, byte[] raw, int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Object body = uri.startsWith("smtp:") ? new String(raw, StandardCharsets.US_ASCII) : raw;
            Exchange e = template.send(uri, TestMessages.exchange(context, body, "sender@example.com",
                                                                  List.of("rcpt@example.com")));
            if (e.getException() != null) {
                throw new IllegalStateException(e.getException());
            }
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
