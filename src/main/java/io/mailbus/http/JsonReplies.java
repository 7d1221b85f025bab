package io.mailbus.http;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes an HTTP answer of the API: a status and a JSON body, and no header but those named, so nothing that
 * came in with the request (or was set on the way) is echoed back.
 */
final class JsonReplies {

    private JsonReplies() {
    }

    static void write(Exchange exchange, int status, String json, String... keptHeaders) {
        Message message = exchange.getMessage();
        message.removeHeaders("*", keptHeaders);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json);
    }
}
