package dev.providers.registry.fetch;

import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;

/** The failures of a fetch, each already classified into its problem slug. */
public final class FetchProblems {

    private FetchProblems() {}

    public static ProblemException notAllowed(String detail) {
        return new ProblemException(ProblemType.URL_NOT_ALLOWED, detail);
    }

    public static ProblemException failed(String detail) {
        return new ProblemException(ProblemType.FETCH_FAILED, detail);
    }

    public static ProblemException timeout(String detail) {
        return new ProblemException(ProblemType.FETCH_TIMEOUT, detail);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(ProblemType.WHEEL_TOO_LARGE, detail);
    }
}
