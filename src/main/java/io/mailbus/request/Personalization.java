package io.mailbus.request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One recipient entry of a personalised request (SendGrid's {@code personalizations}): its own message, to these
 * recipients, rendered with these variables over the request's.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Personalization {

    private List<String> to = new ArrayList<>();
    private List<String> cc = new ArrayList<>();
    private List<String> bcc = new ArrayList<>();
    private Map<String, Object> variables = new LinkedHashMap<>();

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

    public Map<String, Object> getVariables() {
        return variables;
    }

    public void setVariables(Map<String, Object> variables) {
        this.variables = variables == null ? new LinkedHashMap<>() : variables;
    }
}
