package io.mailbus.http;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * The HTTP edge's Vert.x server (what {@code camel.server.enabled} would start), with Mailbus's own handlers on
 * its router before the port opens: {@link ServingGate} first, then {@link LargeBodies} and {@link JsonErrorPages}. Camel's server
 * opens the port while the context starts, before the routes; a handler added later (from a start-up
 * listener) leaves a window in which the port answers {@code 404}. Overriding {@link #initializeServer()}, the
 * one step between building the router and listening, closes that window.
 */
public class ApiHttpServer extends VertxPlatformHttpServer {

    private final long maxBodyBytes;

    public ApiHttpServer(String host, int port, long maxBodyBytes) {
        super(configuration(host, port, maxBodyBytes));
        this.maxBodyBytes = maxBodyBytes;
    }

    private static VertxPlatformHttpServerConfiguration configuration(String host, int port, long maxBodyBytes) {
        VertxPlatformHttpServerConfiguration c = new VertxPlatformHttpServerConfiguration();
        c.setBindHost(host);
        c.setBindPort(port);
        c.setPort(port);
        c.setMaxBodySize(maxBodyBytes);
        c.setServerType(VertxPlatformHttpRouter.SERVER_TYPE_SERVER);
        return c;
    }

    @Override
    protected void initializeServer() {
        super.initializeServer();
        CamelContext context = getCamelContext();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(getConfigurationPort()));
        router.route().order(Integer.MIN_VALUE).handler(new ServingGate(context));
        LargeBodies.install(router, maxBodyBytes);
        JsonErrorPages.install(router, maxBodyBytes);
    }
}
