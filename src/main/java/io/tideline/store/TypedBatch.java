package io.tideline.store;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A batched statement over positional rows, each value bound straight to the driver's setter for its Java type.
 * {@code JdbcTemplate.batchUpdate(sql, List<Object[]>)} binds through its generic path, which checks a trace logger
 * and dispatches on the value's type for every parameter: a quarter of the PostgreSQL sink's thread at 10,000
 * events/s (docs/benchmarks.md). The rows hold only the types below; anything else still goes by
 * {@code setObject}.
 */
final class TypedBatch {

    private TypedBatch() {
    }

    static void update(JdbcTemplate jdbc, String sql, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows, rows.size(), TypedBatch::bind);
        }
    }

    static void bind(PreparedStatement statement, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            int p = i + 1;
            Object v = row[i];
            if (v == null) {
                statement.setNull(p, Types.NULL); // the server takes the column's type
            } else if (v instanceof String s) {
                statement.setString(p, s);
            } else if (v instanceof Long l) {
                statement.setLong(p, l);
            } else if (v instanceof Integer n) {
                statement.setInt(p, n);
            } else if (v instanceof Timestamp t) {
                statement.setTimestamp(p, t);
            } else if (v instanceof BigDecimal d) {
                statement.setBigDecimal(p, d);
            } else if (v instanceof Double d) {
                statement.setDouble(p, d);
            } else if (v instanceof Boolean b) {
                statement.setBoolean(p, b);
            } else {
                statement.setObject(p, v);
            }
        }
    }
}
