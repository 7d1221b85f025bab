package io.mailbus.http;

import java.util.List;

/** The answer to a batch: one {@link BatchItem} per element, in order, and how many were accepted and refused. */
public class BatchResults {

    private int accepted;
    private int failed;
    private List<BatchItem> results;

    public BatchResults() {
    }

    BatchResults(List<BatchItem> results) {
        this.results = results;
        this.failed = (int) results.stream().filter(r -> r.getErrors() != null).count();
        this.accepted = results.size() - failed;
    }

    /** Elements queued or scheduled. */
    public int getAccepted() {
        return accepted;
    }

    public void setAccepted(int accepted) {
        this.accepted = accepted;
    }

    /** Elements refused (invalid, or not queued because the broker failed). */
    public int getFailed() {
        return failed;
    }

    public void setFailed(int failed) {
        this.failed = failed;
    }

    public List<BatchItem> getResults() {
        return results;
    }

    public void setResults(List<BatchItem> results) {
        this.results = results;
    }
}
