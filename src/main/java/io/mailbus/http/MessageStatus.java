package io.mailbus.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the API answers about one message: {@code {"id","status":"queued"}}, {@code "scheduled"} with its
 * {@code sendAt}, or {@code "cancelled"}. A class rather than a map so the OpenAPI document shows its schema.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MessageStatus {

    private String id;
    private String status;
    private String sendAt;
    private java.util.List<MessageStatus> messages;

    public MessageStatus() {
    }

    public MessageStatus(String id, String status, String sendAt) {
        this.id = id;
        this.status = status;
        this.sendAt = sendAt;
    }

    /** The request id: the client's, or the one generated for it. */
    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    /** queued; scheduled when sendAt is ahead; cancelled once a DELETE removed it. */
    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    /** When a scheduled message will be sent (UTC); absent for one queued now. */
    public String getSendAt() {
        return sendAt;
    }

    public void setSendAt(String sendAt) {
        this.sendAt = sendAt;
    }

    /** For a personalised request: each of its messages, in the order of its personalizations. */
    public java.util.List<MessageStatus> getMessages() {
        return messages;
    }

    public void setMessages(java.util.List<MessageStatus> messages) {
        this.messages = messages;
    }
}
