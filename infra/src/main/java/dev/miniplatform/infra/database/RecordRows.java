package dev.miniplatform.infra.database;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DataClassRowMapper;
import org.springframework.util.ClassUtils;

/**
 * Maps a row to a record through its canonical constructor, each component from the column of the same name in
 * snake case ({@code createdAt} from {@code created_at}): Spring's {@link DataClassRowMapper}, so SQL that selects
 * its columns by name needs no mapping written by hand. Enum components are read as text and converted by name,
 * primitives as their wrapper type; the driver decodes neither itself, and asking it first would fail (and be
 * caught) for every such column of every row.
 */
public final class RecordRows<T> extends DataClassRowMapper<T> {

    private RecordRows(Class<T> type) {
        super(type);
    }

    /** One per record type, kept in a constant: the constructor and its parameters are looked up here, once. */
    public static <T extends Record> RecordRows<T> of(Class<T> type) {
        return new RecordRows<>(type);
    }

    @Override
    protected Object getItemValue(Readable readable, int index, Class<?> type) {
        if (type.isEnum()) {
            return readable.get(index, String.class);
        }
        return readable.get(index, ClassUtils.resolvePrimitiveIfNecessary(type));
    }
}
