package io.mailbus.request;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The send request every ingress carries (HTTP body, JMS text message, Kafka record value), in JSON with
 * camelCase names. Unknown fields are an error, not ignored: a typo such as {@code "cc "} must not drop
 * recipients silently (see {@link SendRequestJson}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SendRequest {

    private String id;
    private String from;
    private List<String> to = new ArrayList<>();
    private List<String> cc = new ArrayList<>();
    private List<String> bcc = new ArrayList<>();
    private List<String> replyTo = new ArrayList<>();
    private String subject;
    private String text;
    private String html;
    private List<Attachment> attachments = new ArrayList<>();
    private Map<String, String> headers = new LinkedHashMap<>();
    private List<String> tags = new ArrayList<>();
    private Map<String, Object> metadata = new LinkedHashMap<>();
    private String server;
    private String sendAt;
    private String template;
    private Map<String, Object> variables = new LinkedHashMap<>();
    private List<Personalization> personalizations = new ArrayList<>();

    /** Client-chosen id (at most 128 characters), generated when absent; also the idempotency key. */
    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public List<String> getTo() {
        return to;
    }

    public void setTo(List<String> to) {
        this.to = to == null ? new ArrayList<>() : to;
    }

    public List<String> getCc() {
        return cc;
    }

    public void setCc(List<String> cc) {
        this.cc = cc == null ? new ArrayList<>() : cc;
    }

    public List<String> getBcc() {
        return bcc;
    }

    public void setBcc(List<String> bcc) {
        this.bcc = bcc == null ? new ArrayList<>() : bcc;
    }

    public List<String> getReplyTo() {
        return replyTo;
    }

    /** Accepts one address or a list of them. */
    public void setReplyTo(List<String> replyTo) {
        this.replyTo = replyTo == null ? new ArrayList<>() : replyTo;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getText() {
        return text;
    }

    public void setText(String text) {
        this.text = text;
    }

    public String getHtml() {
        return html;
    }

    public void setHtml(String html) {
        this.html = html;
    }

    public List<Attachment> getAttachments() {
        return attachments;
    }

    public void setAttachments(List<Attachment> attachments) {
        this.attachments = attachments == null ? new ArrayList<>() : attachments;
    }

    public Map<String, String> getHeaders() {
        return headers;
    }

    public void setHeaders(Map<String, String> headers) {
        this.headers = headers == null ? new LinkedHashMap<>() : headers;
    }

    public List<String> getTags() {
        return tags;
    }

    public void setTags(List<String> tags) {
        this.tags = tags == null ? new ArrayList<>() : tags;
    }

    public Map<String, Object> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, Object> metadata) {
        this.metadata = metadata == null ? new LinkedHashMap<>() : metadata;
    }

    /** A named SMTP server from {@code mailbus.smtp.servers.*}; the default server when absent. */
    public String getServer() {
        return server;
    }

    public void setServer(String server) {
        this.server = server;
    }

    /**
     * When to send: an ISO-8601 instant with an offset, e.g. {@code 2026-12-24T09:00:00+01:00}. Normalised to UTC
     * ({@code Z}) while it is in the future; a time already past means now and is dropped.
     */
    public String getSendAt() {
        return sendAt;
    }

    public void setSendAt(String sendAt) {
        this.sendAt = sendAt;
    }

    /** A named template (a folder under mailbus.templates.dir) giving subject, text and html instead of the request. */
    public String getTemplate() {
        return template;
    }

    public void setTemplate(String template) {
        this.template = template;
    }

    /** The template's variables: strings, numbers, booleans, lists and objects. */
    public Map<String, Object> getVariables() {
        return variables;
    }

    public void setVariables(Map<String, Object> variables) {
        this.variables = variables == null ? new LinkedHashMap<>() : variables;
    }

    /** One message per entry, to its recipients, with its variables over the request's. */
    public List<Personalization> getPersonalizations() {
        return personalizations;
    }

    public void setPersonalizations(List<Personalization> personalizations) {
        this.personalizations = personalizations == null ? new ArrayList<>() : personalizations;
    }

    /** A shallow copy: the lists and maps are shared, so it is for a caller that replaces what it changes. */
    SendRequest copy() {
        SendRequest c = new SendRequest();
        c.id = id;
        c.from = from;
        c.to = to;
        c.cc = cc;
        c.bcc = bcc;
        c.replyTo = replyTo;
        c.subject = subject;
        c.text = text;
        c.html = html;
        c.attachments = attachments;
        c.headers = headers;
        c.tags = tags;
        c.metadata = metadata;
        c.server = server;
        c.sendAt = sendAt;
        c.template = template;
        c.variables = variables;
        c.personalizations = personalizations;
        return c;
    }
}
