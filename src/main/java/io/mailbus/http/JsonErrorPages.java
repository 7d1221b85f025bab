package io.mailbus.http;

import io.mailbus.request.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Errors that Vert.x answers before a Camel route sees the request (a body over {@code camel.server.max-body-size}
 * is refused by Vert.x's body handler) get the API's JSON error shape too, so a client parses one format.
 */
public class JsonErrorPages implements StartupListener {

    private final int port;
    private final long maxBodyBytes;
    private boolean installed;

    public JsonErrorPages(int port, long maxBodyBytes) {
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    private synchronized void install(CamelContext context) {
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context);
        }
        if (router == null || installed) {
            return;
        }
        installed = true;
        // a failure handler on Camel's (sub-)router: the body handler fails the context with 413 before
        // any Camel route runs, and Vert.x would otherwise answer in plain text
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                answer(ctx, ErrorCode.REQUEST_TOO_LARGE.httpStatus(), "", ErrorCode.REQUEST_TOO_LARGE.code(),
                        "the request body is larger than " + maxBodyBytes + " bytes");
            } else {
                ctx.next();
            }
        });
    }

    private static void answer(RoutingContext ctx, int status, String field, String code, String message) {
        if (ctx.response().headWritten()) {
            return;
        }
        JsonObject error = new JsonObject().put("field", field).put("code", code).put("message", message);
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end(new JsonObject().put("errors", new JsonArray().add(error)).encode());
    }
}
