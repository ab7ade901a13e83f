package dev.miniplatform.infra.database;

import io.r2dbc.postgresql.api.PostgresqlException;

/**
 * Tells which database constraint a failure broke. Services turn the violation of a constraint they rely on for
 * correctness under concurrency (a partial unique index, a trigger) into a domain conflict; every other failure
 * passes through unchanged.
 */
public final class Constraints {

    private Constraints() {
    }

    public static boolean violated(Throwable failure, String constraint) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PostgresqlException postgres
                    && postgres.getErrorDetails().getConstraintName().filter(constraint::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
