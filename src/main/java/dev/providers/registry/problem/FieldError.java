package dev.providers.registry.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One bad field of a request: {@code field} is dotted for nested fields ({@code metadata.tags}). */
@RegisterForReflection
public record FieldError(String field, String message) {}
