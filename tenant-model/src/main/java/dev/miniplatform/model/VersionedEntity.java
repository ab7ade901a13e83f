package dev.miniplatform.model;

import org.springframework.data.domain.Persistable;

/**
 * A record with an id chosen by the application and an optimistic-locking version: it is new exactly while
 * its version is null, which tells Spring Data to INSERT rather than UPDATE a row whose id is already set.
 */
public interface VersionedEntity<ID> extends Persistable<ID> {

    ID id();

    Long version();

    @Override
    default ID getId() {
        return id();
    }

    @Override
    default boolean isNew() {
        return version() == null;
    }
}
