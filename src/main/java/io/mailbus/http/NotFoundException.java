package io.mailbus.http;

/**
 * Nothing the caller may see under this name: unknown, expired or another caller's; one answer for all, so nobody
 * learns which names others use. Answered 404 {@code not_found}.
 */
public class NotFoundException extends RuntimeException {

    private final String field;

    public NotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String getField() {
        return field;
    }
}
