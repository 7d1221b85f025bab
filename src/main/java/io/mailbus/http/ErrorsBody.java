package io.mailbus.http;

import java.util.List;

import io.mailbus.request.ValidationError;

/** Every error answer of the API, {@code {"errors":[{"field","code","message"}]}}; a class for the OpenAPI schema. */
public class ErrorsBody {

    private List<ValidationError> errors;

    public ErrorsBody() {
    }

    public ErrorsBody(List<ValidationError> errors) {
        this.errors = errors;
    }

    public List<ValidationError> getErrors() {
        return errors;
    }

    public void setErrors(List<ValidationError> errors) {
        this.errors = errors;
    }
}
