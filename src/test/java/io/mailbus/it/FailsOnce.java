package io.mailbus.it;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;

/**
 * An outcome endpoint that cannot be written the first time, as Artemis words a lost send, and forwards to the
 * real queue afterwards: a route from {@code direct:<name>} for tests that point an outcome endpoint at it.
 */
final class FailsOnce extends RouteBuilder {

    private final String name;
    private final String target;
    private final AtomicInteger writes;

    FailsOnce(String name, String target, AtomicInteger writes) {
        this.name = name;
        this.target = target;
        this.writes = writes;
    }

    @Override
    public void configure() {
        from("direct:" + name).routeId(name)
                .process(e -> {
                    if (writes.incrementAndGet() == 1) {
                        throw new IllegalStateException("AMQ219014: Timed out waiting for response");
                    }
                })
                .to(target);
    }
}
