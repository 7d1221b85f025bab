package io.mailbus.request;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One attachment of a send request. {@code data} stays base64 text until the MIME step decodes it, so a
 * request is never held twice in decoded form. In a large request the data is a {@link SpooledData} instead (the
 * bytes decoded into a file), and {@code data} is null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Attachment {

    private String filename;
    private String contentType;
    private String data;
    private SpooledData spooled;
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
    @JsonIgnore
    public String getData() {
        return data;
    }

    @JsonProperty("data")
    public void setData(String data) {
        this.data = data;
    }

    /** The bytes of an attachment of a large request, decoded into a file; null when {@link #getData()} holds them. */
    @JsonIgnore
    public SpooledData getSpooled() {
        return spooled;
    }

    public void setSpooled(SpooledData spooled) {
        this.spooled = spooled;
    }

    /** The data as JSON carries it: the base64 text, or the spooled bytes encoded again as they are written. */
    @JsonProperty("data")
    Object dataForJson() {
        return data != null ? data : spooled;
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
