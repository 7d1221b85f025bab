package io.mailbus.smtppool;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A plain CamelContext per test, so {@code smtp-pool:} resolves exactly as it would in the application. */
abstract class SmtpPoolTestSupport {

    protected CamelContext context;
    protected ProducerTemplate template;

    @BeforeEach
    void startCamel() {
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() {
        context.stop();
    }

    protected Exchange send(String uri, List<String> recipients) {
        return send(uri, TestMessages.raw("<id@mailbus.test>", "test", 1_000), recipients);
    }

    protected Exchange send(String uri, byte[] raw, List<String> recipients) {
        return template.send(uri, TestMessages.exchange(context, raw, "sender@example.com", recipients));
    }

    protected SmtpPoolStatistics onlyPoolStatistics() {
        return context.getComponent("smtp-pool", SmtpPoolComponent.class).getPoolStatistics().values().iterator()
                .next();
    }

    /** The exception's causes, outermost first, as a user reading the stack trace would walk them. */
    protected static List<Throwable> causes(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable c = e.getCause(); c != null && out.size() < 20; c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    protected static DeliveryResult result(Exchange exchange) {
        return exchange.getMessage().getHeader(SmtpPoolConstants.DELIVERY_RESULT, DeliveryResult.class);
    }
}
