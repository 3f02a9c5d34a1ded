package dev.providers.registry.db;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds every {@code Uni} a method returns by {@code registry.db.operation-deadline}: put it on each bean whose
 * methods open a session or a transaction ({@code @WithSession}/{@code @WithTransaction}). It runs outside the
 * transaction interceptor, so the deadline covers acquiring the connection, every statement and the commit.
 */
@Inherited
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface DatabaseDeadline {}
