package io.mailbus.http;

/** An Idempotency-Key that cannot be honoured for this request; answered 409 with its stable code. */
public class IdempotencyConflictException extends RuntimeException {

    private final String code;

    public IdempotencyConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String getCode() {
        return code;
    }
}
