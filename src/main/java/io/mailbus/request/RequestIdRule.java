package io.mailbus.request;

import java.util.List;
import java.util.UUID;

/**
 * The request id: the client's (trimmed), or a random UUID when absent. It is the idempotency key and the left
 * side of the Message-ID, so it is short and a dot-atom.
 */
final class RequestIdRule implements Rule {

    private static final int MAX_LENGTH = 128;

    @Override
    public void check(SendRequest in, SendRequest out, List<ValidationError> errors) {
        String id = in.getId();
        if (Text.blank(id)) {
            out.setId(UUID.randomUUID().toString());
            return;
        }
        String trimmed = id.trim();
        out.setId(trimmed);
        if (trimmed.length() > MAX_LENGTH) {
            errors.add(new ValidationError("id", ErrorCode.ID_TOO_LONG, "id is longer than " + MAX_LENGTH + " characters"));
        } else {
            HeaderSafety.id(trimmed, errors);
        }
    }
}
