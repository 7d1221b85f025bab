package io.mailbus.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

import io.mailbus.ingress.BusPayload;
import io.mailbus.request.ErrorCode;
import io.mailbus.request.Spool;
import io.mailbus.request.SpooledJson;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;

/**
 * How the HTTP edge takes a large send request without holding it. {@code POST /api/v1/messages} is read by Vert.x's
 * body handler into the heap, which is right for the common small request. Before that handler runs, this one looks
 * at {@code Content-Length}: over {@code mailbus.http.max-body-bytes} the request is answered {@code 413} at once,
 * unread, so nothing is queued; over {@link BusPayload#IN_MEMORY_BYTES} it is rerouted, still unread, to
 * {@link #PATH}, the route of {@code routes/ingress-http.yaml} whose platform-http consumer streams the body
 * ({@code useStreaming}: Camel's stream cache, on disk past its threshold). {@link #spool} then puts it in the
 * exchange's {@link Spool} as a {@link SpooledJson}, and the request goes on through the same flow as a small one.
 * A body without {@code Content-Length} (chunked) stays on the in-memory path, under Vert.x's limit; the path is
 * refused ({@code 404}) unless this handler sent the request there, so its size was checked.
 */
public final class LargeBodies {

    /** Where large bodies are rerouted; internal, not part of the API. */
    public static final String PATH = "/_mailbus/large-message";
    private static final String REROUTED = "mailbusLargeBody";

    private LargeBodies() {
    }

    /** The handlers on the edge's router, after {@link ServingGate}; {@link ApiHttpServer} installs them. */
    static void install(Router router, long maxBodyBytes) {
        router.post("/api/v1/messages").order(Integer.MIN_VALUE + 1).handler(byLength(maxBodyBytes));
        router.route(PATH).order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (Boolean.TRUE.equals(ctx.get(REROUTED))) {
                ctx.next();
            } else {
                JsonErrorPages.answer(ctx, 404, "", "not_found", "no such resource");
            }
        });
    }

    private static Handler<RoutingContext> byLength(long maxBodyBytes) {
        return ctx -> {
            String header = ctx.request().getHeader("Content-Length");
            long length;
            try {
                length = header == null ? -1 : Long.parseLong(header.trim());
            } catch (NumberFormatException e) {
                length = -1; // Vert.x's own framing refuses it
            }
            if (length > maxBodyBytes) {
                JsonErrorPages.answer(ctx, ErrorCode.REQUEST_TOO_LARGE.httpStatus(), "",
                        ErrorCode.REQUEST_TOO_LARGE.code(), "the request body is larger than " + maxBodyBytes + " bytes");
            } else if (length > BusPayload.IN_MEMORY_BYTES) {
                ctx.put(REROUTED, true);
                ctx.reroute(PATH);
            } else {
                ctx.next();
            }
        };
    }

    /** The streamed body (Camel's stream cache) copied into the exchange's spool: the body becomes a SpooledJson. */
    public static void spool(Exchange exchange) throws IOException {
        Spool spool = Spool.of(exchange);
        Path file = spool.newFile(".json");
        try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class);
             OutputStream out = Spool.output(file)) {
            in.transferTo(out);
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new IOException("no request body", e);
        }
        exchange.getMessage().setBody(new SpooledJson(file, spool));
    }
}
