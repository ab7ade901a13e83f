package dev.miniplatform.api.change;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MiniProgramChangesTest {

    private final List<String> heard = new CopyOnWriteArrayList<>();

    /** Records what it heard; fails the phases it is told to. */
    private MiniProgramChangeListener listener(String name, boolean failInTransaction, boolean failCommitted) {
        return new MiniProgramChangeListener() {
            @Override
            public Mono<Void> inTransaction(MiniProgramChanged change) {
                return Mono.fromRunnable(() -> heard.add(name + " in " + change.kind() + " " + change.appId()))
                        .then(failInTransaction ? Mono.error(new IllegalStateException(name)) : Mono.empty());
            }

            @Override
            public Mono<Void> committed(MiniProgramChanged change) {
                return Mono.fromRunnable(() -> heard.add(name + " after " + change.kind() + " " + change.appId()))
                        .then(failCommitted ? Mono.error(new IllegalStateException(name)) : Mono.empty());
            }
        };
    }

    @Test
    void everyListenerHearsBothPhasesOfEveryKindOfChange() {
        MiniProgramChanges changes = new MiniProgramChanges(List.of(listener("wallet", false, false),
                listener("other", false, false)));

        for (MiniProgramChanged change : List.of(MiniProgramChanged.modified("wx1"), MiniProgramChanged.removed("wx2"),
                MiniProgramChanged.workspaceClosed())) {
            StepVerifier.create(changes.inTransaction(change).then(changes.committed(change))).verifyComplete();
        }

        assertThat(heard).containsExactlyInAnyOrder(
                "wallet in MODIFIED wx1", "other in MODIFIED wx1", "wallet after MODIFIED wx1", "other after MODIFIED wx1",
                "wallet in REMOVED wx2", "other in REMOVED wx2", "wallet after REMOVED wx2", "other after REMOVED wx2",
                "wallet in WORKSPACE_CLOSED null", "other in WORKSPACE_CLOSED null",
                "wallet after WORKSPACE_CLOSED null", "other after WORKSPACE_CLOSED null");
    }

    @Test
    void whenAListenerFailsInTheTransactionThenTheChangeFailsAndLaterListenersAreNotAsked() {
        MiniProgramChanges changes = new MiniProgramChanges(List.of(listener("first", true, false),
                listener("second", false, false)));

        StepVerifier.create(changes.inTransaction(MiniProgramChanged.modified("wx1")))
                .verifyErrorMessage("first");

        assertThat(heard).containsExactly("first in MODIFIED wx1");
    }

    @Test
    void whenAListenerFailsAfterTheCommitThenTheCallerStillSucceedsAndTheOthersAreTold() {
        MiniProgramChanges changes = new MiniProgramChanges(List.of(listener("first", false, true),
                listener("second", false, false)));

        StepVerifier.create(changes.committed(MiniProgramChanged.modified("wx1"))).verifyComplete();

        assertThat(heard).containsExactlyInAnyOrder("first after MODIFIED wx1", "second after MODIFIED wx1");
    }

    @Test
    void anAppIdIsRequiredExactlyWhenOneMiniProgramChanged() {
        assertThatThrownBy(() -> new MiniProgramChanged(null, MiniProgramChanged.Kind.MODIFIED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MiniProgramChanged("wx1", MiniProgramChanged.Kind.WORKSPACE_CLOSED))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
