package io.mailbus.http;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailbus.request.ValidationError;

/**
 * One element's result in a batch answer: {@code {"index","id","status":"queued"}} (or {@code "scheduled"} with
 * {@code sendAt}), or {@code {"index","id"?,"errors":[...]}} with the errors a single request would get.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BatchItem {

    private int index;
    private String id;
    private String status;
    private String sendAt;
    private List<ValidationError> errors;

    public BatchItem() {
    }

    BatchItem(int index, String id, String status, String sendAt, List<ValidationError> errors) {
        this.index = index;
        this.id = id;
        this.status = status;
        this.sendAt = sendAt;
        this.errors = errors;
    }

    /** The element's position in the batch, from 0. */
    public int getIndex() {
        return index;
    }

    public void setIndex(int index) {
        this.index = index;
    }

    /** Its id; absent for an invalid element whose own id was the problem. */
    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    /** queued or scheduled; absent when the element was not accepted. */
    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getSendAt() {
        return sendAt;
    }

    public void setSendAt(String sendAt) {
        this.sendAt = sendAt;
    }

    /** Why it was not accepted: every broken rule, or queue_unavailable. */
    public List<ValidationError> getErrors() {
        return errors;
    }

    public void setErrors(List<ValidationError> errors) {
        this.errors = errors;
    }
}
