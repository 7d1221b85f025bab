package io.mailbus.http;

/** No or a wrong API key; answered 401 without saying which. */
public class ApiKeyRejectedException extends RuntimeException {

    public ApiKeyRejectedException() {
        super("missing or invalid API key");
    }
}
