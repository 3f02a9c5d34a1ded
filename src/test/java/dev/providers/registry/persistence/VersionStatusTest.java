package dev.providers.registry.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL form of the public statuses is written from the Java list, not beside it. */
class VersionStatusTest {

    @Test
    void publicSqlListsExactlyThePublicStatuses() {
        assertEquals("('published', 'yanked')", VersionStatus.PUBLIC_SQL);
        List<String> listed = Arrays.stream(
                        VersionStatus.PUBLIC_SQL.replaceAll("[()' ]", "").split(","))
                .toList();
        assertEquals(VersionStatus.PUBLIC.stream().map(VersionStatus::wire).toList(), listed);
    }

    @Test
    void onlyPublishedAndYankedArePublic() {
        assertEquals(
                List.of(VersionStatus.PUBLISHED, VersionStatus.YANKED),
                Arrays.stream(VersionStatus.values())
                        .filter(VersionStatus::isPublic)
                        .toList());
    }
}
