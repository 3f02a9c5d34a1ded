package dev.providers.registry.http;

import dev.providers.registry.problem.FieldError;
import dev.providers.registry.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;

/** The bad fields of one request, collected in the order they are read and answered together (422). */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    public void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    /** @throws ProblemException {@code validation} with every error, when there is one */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }
}
