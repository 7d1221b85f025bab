package io.mailbus.http;

import java.util.List;

import io.mailbus.request.SendRequest;

/**
 * {@code POST /api/v1/messages/batch}'s body as the OpenAPI document shows it: {@code {"messages": [...]}} of up to
 * {@code mailbus.batch.max-messages} send requests (a bare JSON array is accepted too). The edge does not bind to it:
 * each element is read and validated on its own ({@link io.mailbus.request.BatchReader}).
 */
public class BatchRequest {

    private List<SendRequest> messages;

    public List<SendRequest> getMessages() {
        return messages;
    }

    public void setMessages(List<SendRequest> messages) {
        this.messages = messages;
    }
}
