package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The update-count rule on embedded H2: 0 rows conflict, 1 success, more than 1 a bug. */
class VersionedUpdateTest {

    private Connection connection;

    @BeforeEach
    void createTable() throws Exception {
        connection = DriverManager.getConnection("jdbc:h2:mem:versioned_update_test;DB_CLOSE_DELAY=-1");
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS item");
            s.execute("CREATE TABLE item (id INT PRIMARY KEY, grp INT, qty INT, version BIGINT)");
            s.execute("INSERT INTO item VALUES (1, 7, 10, 0), (2, 7, 10, 0)");
        }
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    @Test
    void execute_matchingVersion_updatesTheRowAndAdvancesTheVersion() throws Exception {
        VersionedUpdate.of("UPDATE item SET qty = ?, version = version + 1 WHERE id = ? AND version = ?")
                .execute(connection, 9, 1, 0L);
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT qty, version FROM item WHERE id = 1")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(9);
            assertThat(rs.getLong(2)).isEqualTo(1);
        }
    }

    @Test
    void execute_staleVersion_throwsConcurrencyConflictException() {
        VersionedUpdate u = VersionedUpdate.of("UPDATE item SET qty = ?, version = version + 1 WHERE id = ? AND version = ?");
        assertThatThrownBy(() -> u.execute(connection, 9, 1, 5L))
                .isInstanceOf(ConcurrencyConflictException.class).hasMessageContaining("no row updated");
    }

    @Test
    void execute_moreThanOneRow_throwsIllegalStateException() {
        VersionedUpdate u = VersionedUpdate.of("UPDATE item SET qty = ?, version = version + 1 WHERE grp = ? AND version = ?");
        assertThatThrownBy(() -> u.execute(connection, 9, 7, 0L))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 rows");
    }
}
