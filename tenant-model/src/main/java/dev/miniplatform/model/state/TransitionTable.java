package dev.miniplatform.model.state;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A lifecycle as one explicit table: for every state, the actions allowed from it and where each leads ({@code T}:
 * usually the next state). Every pair not in the table is illegal. The release, ISV service and authorization state
 * machines each keep their table here and say, in their own words, what a refused move means.
 *
 * @param <S> the states
 * @param <A> the actions
 * @param <T> where an action leads
 */
public final class TransitionTable<S extends Enum<S>, A extends Enum<A>, T> {

    private final Map<S, Map<A, T>> rows;

    private TransitionTable(Map<S, Map<A, T>> rows) {
        this.rows = rows;
    }

    public static <S extends Enum<S>, A extends Enum<A>, T> Builder<S, A, T> of(Class<S> states, Class<A> actions) {
        return new Builder<>(states, actions);
    }

    /** Where {@code action} leads from {@code from}; empty when the table has no such move. */
    public Optional<T> target(S from, A action) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(action, "action");
        return Optional.ofNullable(rows.get(from).get(action));
    }

    /** The actions allowed from {@code from}, in their declaration order; empty for a terminal state. */
    public Set<A> actions(S from) {
        Objects.requireNonNull(from, "from");
        return rows.get(from).keySet();
    }

    /**
     * What a refused move says, the same for every lifecycle: {@code cannot approve a service in state APPROVED; no
     * action is allowed from it}, or {@code …; allowed: resubmit}.
     */
    public static String refusal(String verb, String subject, Enum<?> from, List<String> allowed) {
        return "cannot " + verb + " " + subject + " in state " + from.name() + "; "
                + (allowed.isEmpty() ? "no action is allowed from it" : "allowed: " + String.join(", ", allowed));
    }

    public static final class Builder<S extends Enum<S>, A extends Enum<A>, T> {

        private final Class<S> states;
        private final Class<A> actions;
        private final Map<S, Map<A, T>> rows;

        private Builder(Class<S> states, Class<A> actions) {
            this.states = states;
            this.actions = actions;
            this.rows = new EnumMap<>(states);
        }

        /** The moves from {@code from}; {@code Map.of()} for a terminal state. */
        public Builder<S, A, T> row(S from, Map<A, T> moves) {
            Map<A, T> row = new EnumMap<>(actions);
            row.putAll(moves);
            if (rows.putIfAbsent(from, Collections.unmodifiableMap(row)) != null) {
                throw new IllegalStateException("two rows for " + from);
            }
            return this;
        }

        /** The table; every state must have its row, so that a new state cannot be forgotten. */
        public TransitionTable<S, A, T> build() {
            for (S state : states.getEnumConstants()) {
                if (!rows.containsKey(state)) {
                    throw new IllegalStateException("no row for " + state);
                }
            }
            return new TransitionTable<>(Collections.unmodifiableMap(new EnumMap<>(rows)));
        }
    }
}
