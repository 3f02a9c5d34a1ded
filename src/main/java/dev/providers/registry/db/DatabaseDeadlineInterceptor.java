package dev.providers.registry.db;

import dev.providers.registry.config.RegistryConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.time.Duration;

/**
 * Applies {@link DatabaseDeadline}. Priority 100: outside Hibernate Reactive Panache's session and transaction
 * interceptors (200), so the deadline covers the whole unit of work.
 */
@DatabaseDeadline
@Interceptor
@Priority(100)
public class DatabaseDeadlineInterceptor {

    private final Duration deadline;

    public DatabaseDeadlineInterceptor(RegistryConfig config) {
        this.deadline = config.db().operationDeadline();
    }

    @AroundInvoke
    Object bound(InvocationContext context) throws Exception {
        Object result = context.proceed();
        if (result instanceof Uni<?> uni) {
            String operation = context.getMethod().getDeclaringClass().getSimpleName() + "."
                    + context.getMethod().getName();
            return DatabaseDeadlines.bound(uni, deadline, operation);
        }
        return result;
    }
}
