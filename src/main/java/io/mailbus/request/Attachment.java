package io.mailbus.request;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One attachment of a send request. {@code data} stays base64 text until the MIME step decodes it, so a
 * request is never held twice in decoded form.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Attachment {

    private String filename;
    private String contentType;
    private String data;
    private String contentId;
    private String disposition;

    public String getFilename() {
        return filename;
    }

    public void setFilename(String filename) {
        this.filename = filename;
    }

    public String getContentType() {
        return contentType;
    }

    public void setContentType(String contentType) {
        this.contentType = contentType;
    }

    /** Base64 (RFC 4648, standard alphabet; MIME line breaks tolerated) of the attachment's bytes. */
    public String getData() {
        return data;
    }

    public void setData(String data) {
        this.data = data;
    }

    /** When set, the attachment is inline and the html body refers to it as {@code cid:<contentId>}. */
    public String getContentId() {
        return contentId;
    }

    public void setContentId(String contentId) {
        this.contentId = contentId;
    }

    /** {@code attachment} or {@code inline}; derived from {@code contentId} when absent. */
    public String getDisposition() {
        return disposition;
    }

    public void setDisposition(String disposition) {
        this.disposition = disposition;
    }
}
