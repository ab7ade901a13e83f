package dev.miniplatform.model.template;

import com.networknt.schema.Error;
import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.ExecutionContext;

/**
 * One validation, metered: the validator announces every keyword and every property or item it steps into
 * ({@code evaluationPathAddLast}), so that is where the budget is looked at; and every failure it raises, even
 * inside an {@code anyOf} branch it later drops, is counted, so a small schema over a large value cannot pile up
 * millions of errors.
 */
final class MeteredExecution extends ExecutionContext {

    /** Failures raised (kept or not) before the check stops: far above what a person fixes in one go. */
    static final int MAX_RAISED_ERRORS = 1_000;

    /** Steps between two looks at the clock (a step is about a microsecond). */
    private static final int BUDGET_STRIDE = 128;

    /** Formats are annotations in 2020-12; said here too, so no dialect an embedded schema names can turn them on. */
    private static final ExecutionConfig CONFIG = ExecutionConfig.builder()
            .formatAssertionsEnabled(false)
            .build();

    private final CheckBudget budget;
    private int steps;
    private int raised;

    MeteredExecution(CheckBudget budget) {
        super(CONFIG);
        this.budget = budget;
    }

    /** Thrown when {@link #MAX_RAISED_ERRORS} is passed. */
    static final class TooManyErrors extends RuntimeException {
        TooManyErrors() {
            super("too many errors", null, false, false);
        }
    }

    @Override
    public void evaluationPathAddLast(String token) {
        step();
        super.evaluationPathAddLast(token);
    }

    @Override
    public void evaluationPathAddLast(int token) {
        step();
        super.evaluationPathAddLast(token);
    }

    @Override
    public void addError(Error error) {
        if (++raised > MAX_RAISED_ERRORS) {
            throw new TooManyErrors();
        }
        super.addError(error);
    }

    private void step() {
        if (budget.exhausted() || ++steps % BUDGET_STRIDE == 0) {
            budget.spend();
        }
    }
}
