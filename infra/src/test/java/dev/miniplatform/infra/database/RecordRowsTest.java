package dev.miniplatform.infra.database;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class RecordRowsTest {

    enum State { RUNNING, DONE }

    record Job(UUID id, State state, int total, Integer grayPercent, Instant createdAt) {
    }

    private static final RecordRows<Job> JOB = RecordRows.of(Job.class);

    @Test
    void eachComponentComesFromItsSnakeCaseColumn() {
        UUID id = UUID.randomUUID();
        Instant created = Instant.parse("2026-12-05T00:00:00Z");
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("id", id);
        columns.put("state", "DONE");
        columns.put("total", 12);
        columns.put("gray_percent", null);
        columns.put("created_at", created);

        assertThat(JOB.apply(row(columns))).isEqualTo(new Job(id, State.DONE, 12, null, created));
    }

    /** A row as the driver gives it: typed reads of enums or primitives are not what it decodes, so they fail. */
    private static Row row(Map<String, Object> columns) {
        List<String> names = new ArrayList<>(columns.keySet());
        List<ColumnMetadata> metadata = names.stream().map(name -> {
            ColumnMetadata column = mock(ColumnMetadata.class);
            when(column.getName()).thenReturn(name);
            return column;
        }).toList();
        RowMetadata rowMetadata = mock(RowMetadata.class);
        when(rowMetadata.getColumnMetadatas()).thenAnswer(invocation -> metadata);
        return new Row() {
            @Override
            public RowMetadata getMetadata() {
                return rowMetadata;
            }

            @Override
            public <T> T get(int index, Class<T> type) {
                if (type.isEnum() || type.isPrimitive()) {
                    throw new IllegalArgumentException("cannot decode " + type);
                }
                return type.cast(columns.get(names.get(index)));
            }

            @Override
            public <T> T get(String name, Class<T> type) {
                return get(names.indexOf(name), type);
            }
        };
    }
}
