package io.mailbus.request;

import java.util.List;

/**
 * What the recipient reads: the subject (required, one header line of text) and the text and html bodies (at least
 * one, each within its byte limit). An empty body counts as absent.
 */
final class ContentRules implements Rule {

    private final int maxSubjectLength;
    private final long maxTextBytes;

    ContentRules(int maxSubjectLength, long maxTextBytes) {
        this.maxSubjectLength = maxSubjectLength;
        this.maxTextBytes = maxTextBytes;
    }

    @Override
    public void check(SendRequest in, SendRequest out, List<ValidationError> errors) {
        subject(in.getSubject(), out, errors);
        String text = Text.empty(in.getText()) ? null : in.getText();
        String html = Text.empty(in.getHtml()) ? null : in.getHtml();
        out.setText(text);
        out.setHtml(html);
        if (text == null && html == null) {
            errors.add(new ValidationError("text", ErrorCode.BODY_REQUIRED, "text or html is required"));
        }
        withinLimit("text", text, errors);
        withinLimit("html", html, errors);
    }

    private void subject(String subject, SendRequest out, List<ValidationError> errors) {
        if (Text.blank(subject)) {
            errors.add(new ValidationError("subject", ErrorCode.REQUIRED, "subject is required"));
            return;
        }
        String s = subject.strip();
        out.setSubject(s);
        if (HeaderSafety.clean("subject", s, errors) && s.codePointCount(0, s.length()) > maxSubjectLength) {
            errors.add(new ValidationError("subject", ErrorCode.SUBJECT_TOO_LONG,
                    "subject is longer than " + maxSubjectLength + " characters"));
        }
    }

    private void withinLimit(String field, String body, List<ValidationError> errors) {
        // a char is at most 3 bytes of UTF-8 (a surrogate pair 4 for two): most bodies are judged by their length
        // alone, and only those near the limit are measured char by char
        if (body != null && (long) body.length() * 3 > maxTextBytes && Text.utf8Length(body) > maxTextBytes) {
            errors.add(new ValidationError(field, ErrorCode.TEXT_TOO_LARGE,
                    field + " is larger than " + maxTextBytes + " bytes"));
        }
    }
}
