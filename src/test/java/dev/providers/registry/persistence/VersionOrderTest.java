package dev.providers.registry.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.identity.SemVer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two version orders as JPQL, SQL and Java; {@code RuleSqlAgreementTest} runs both queries against the Java order. */
class VersionOrderTest {

    @Test
    void jpqlAndSqlNameTheSameKeysAsTheComparator() {
        assertEquals("precedenceKey desc, version desc", VersionOrder.HIGHEST_FIRST.jpql());
        assertEquals("preRelease asc, precedenceKey desc", VersionOrder.LATEST_FIRST.jpql());
        assertEquals("precedence_key DESC, version DESC", VersionOrder.HIGHEST_FIRST.sql());
        assertEquals("pre_release ASC, precedence_key DESC", VersionOrder.LATEST_FIRST.sql());
    }

    @Test
    void highestFirstIsDescendingPrecedenceThenText() {
        List<String> expected = List.of(
                "2.0.0",
                "2.0.0-rc.1",
                "1.10.0+b",
                "1.10.0+a",
                "1.10.0",
                "1.2.0",
                "1.0.0",
                "1.0.0-rc.10",
                "1.0.0-rc.2",
                "1.0.0-alpha");
        assertEquals(expected, shuffledThenSorted(expected, VersionOrder.HIGHEST_FIRST));
    }

    @Test
    void latestFirstPutsReleasesBeforeHigherPreReleases() {
        List<String> expected = List.of("1.10.0", "1.2.0", "1.0.0", "2.0.0-rc.1", "1.0.0-rc.10", "1.0.0-alpha");
        assertEquals(expected, shuffledThenSorted(expected, VersionOrder.LATEST_FIRST));
    }

    private static List<String> shuffledThenSorted(List<String> versions, VersionOrder order) {
        List<SemVer> list = new ArrayList<>(versions.stream().map(SemVer::parse).toList());
        Collections.shuffle(list, new Random(3));
        list.sort(order.comparator());
        return list.stream().map(SemVer::text).toList();
    }
}
