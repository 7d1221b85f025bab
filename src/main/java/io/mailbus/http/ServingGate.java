package io.mailbus.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * Answers {@code 503} with {@code Retry-After} and the API's error shape while the flows do not run: from the
 * moment the port opens until every route has started ({@code starting}), and from the moment shutdown begins
 * ({@code stopping}), when Camel stops the consumers first and lets the requests already inside finish. Without
 * it a client gets Vert.x's plain {@code 404} (no route yet, or no longer) and may take the request for wrong.
 * It is the first handler of the router, installed before the port opens (see {@link ApiHttpServer}).
 */
final class ServingGate implements Handler<RoutingContext> {

    /** Seconds a client is asked to wait: a start takes a few seconds; a stopping instance is going away. */
    static final String RETRY_AFTER_STARTING = "1";
    static final String RETRY_AFTER_STOPPING = "5";

    private final CamelContext context;

    ServingGate(CamelContext context) {
        this.context = context;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ServiceStatus status = context.getStatus();
        if (status.isStarted()) {
            ctx.next();
        } else if (status.isStarting() || status == ServiceStatus.Initializing || status == ServiceStatus.Initialized) {
            ctx.response().putHeader("Retry-After", RETRY_AFTER_STARTING);
            JsonErrorPages.answer(ctx, 503, "", "starting", "the service is starting; nothing was accepted, retry later");
        } else {
            ctx.response().putHeader("Retry-After", RETRY_AFTER_STOPPING);
            JsonErrorPages.answer(ctx, 503, "", "stopping", "the service is shutting down; nothing was accepted, retry later");
        }
    }
}
