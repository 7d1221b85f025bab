package io.mailbus.mime;

import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestValidator;
import io.mailbus.request.ValidationError;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.util.List;

/**
 * A request as the delivery route hands it to the MIME step: through the validator's processor first, with the
 * shipped recipient limit.
 */
final class Validated {

    private static final SendRequestValidator VALIDATOR = new SendRequestValidator(100);

    private Validated() {
    }

    /** The validator's body for {@code raw}; fails the test when the validator refuses it. */
    static SendRequest request(SendRequest raw) {
        Exchange e = exchange(raw);
        VALIDATOR.process(e);
        return e.getMessage().getBody(SendRequest.class);
    }

    /** What the validator refuses {@code raw} for; empty when it accepts it. */
    static List<ValidationError> errors(SendRequest raw) {
        try {
            VALIDATOR.process(exchange(raw));
            return List.of();
        } catch (InvalidSendRequestException e) {
            return e.getErrors();
        }
    }

    private static Exchange exchange(SendRequest raw) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setBody(raw);
        return e;
    }
}
