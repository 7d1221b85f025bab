package io.mailbus.http;

import io.mailbus.request.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors that Vert.x answers before a Camel route sees the request (a body over {@code mailbus.http.max-body-bytes}
 * is refused by Vert.x's body handler) get the API's JSON error shape too, so a client parses one format.
 */
final class JsonErrorPages {

    private JsonErrorPages() {
    }

    /** Adds the failure handler to the router of the HTTP edge; {@link ApiHttpServer} calls it before listening. */
    static void install(Router router, long maxBodyBytes) {
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

    static void answer(RoutingContext ctx, int status, String field, String code, String message) {
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
