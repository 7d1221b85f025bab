package io.mailbus.request;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** First cut (placeholder until the full validator lands): parses strictly and checks required fields. */
public class SendRequestValidator implements Processor {

    private String defaultFrom;

    public void setDefaultFrom(String defaultFrom) {
        this.defaultFrom = defaultFrom;
    }

    public void setMaxRecipients(int v) {
    }

    public void setMaxSubjectLength(int v) {
    }

    public void setMaxBodyBytes(long v) {
    }

    public void setMaxAttachmentBytes(long v) {
    }

    public void setMaxTotalAttachmentBytes(long v) {
    }

    public void setSmtpUtf8(boolean v) {
    }

    public void setServers(Set<String> v) {
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        SendRequest request;
        if (body instanceof SendRequest r) {
            request = r;
        } else {
            try {
                request = SendRequestJson.mapper().readValue(exchange.getMessage().getBody(InputStream.class), SendRequest.class);
            } catch (Exception e) {
                throw new InvalidSendRequestException(List.of(new ValidationError("$", "invalid_json", e.getMessage())));
            }
        }
        List<ValidationError> errors = validate(request);
        if (!errors.isEmpty()) {
            throw new InvalidSendRequestException(errors);
        }
        if (request.getId() == null) {
            request.setId(UUID.randomUUID().toString());
        }
        if (request.getFrom() == null) {
            request.setFrom(defaultFrom);
        }
        exchange.getMessage().setBody(request);
        exchange.getMessage().setHeader("MailbusRequestId", request.getId());
    }

    public List<ValidationError> validate(SendRequest request) {
        List<ValidationError> errors = new ArrayList<>();
        if (request.getTo().isEmpty() && request.getCc().isEmpty() && request.getBcc().isEmpty()) {
            errors.add(new ValidationError("to", "no_recipients", "at least one recipient is required"));
        }
        for (int i = 0; i < request.getTo().size(); i++) {
            if (!request.getTo().get(i).contains("@")) {
                errors.add(new ValidationError("to[" + i + "]", "invalid_address", "not an email address"));
            }
        }
        return errors;
    }
}
