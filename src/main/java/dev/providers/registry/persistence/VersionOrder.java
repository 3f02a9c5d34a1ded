package dev.providers.registry.persistence;

import dev.providers.registry.identity.SemVer;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The orders of versions, each declared once as a list of sort keys and read as a JPQL or SQL {@code order by} (on
 * the columns of provider and runtime versions) and as a Java comparator of {@link SemVer}s. Precedence compares
 * {@link SemVer#precedenceKey()} byte-wise, as the {@code COLLATE "C"} column does.
 */
public final class VersionOrder {

    /** Highest SemVer precedence first; build metadata, which has no precedence, breaks ties by version text. */
    public static final VersionOrder HIGHEST_FIRST = new VersionOrder(
            new Key<>("precedenceKey", "precedence_key", true, SemVer::precedenceKey),
            new Key<>("version", "version", true, SemVer::text));

    /** {@code latest_version}: releases before pre-releases, then highest precedence first. */
    public static final VersionOrder LATEST_FIRST = new VersionOrder(
            new Key<>("preRelease", "pre_release", false, SemVer::isPreRelease),
            new Key<>("precedenceKey", "precedence_key", true, SemVer::precedenceKey));

    private final List<Key<?>> keys;

    private VersionOrder(Key<?>... keys) {
        this.keys = List.of(keys);
    }

    /** The JPQL {@code order by} list, e.g. {@code "precedenceKey desc, version desc"}. */
    public String jpql() {
        return keys.stream()
                .map(k -> k.field() + (k.descending() ? " desc" : " asc"))
                .collect(Collectors.joining(", "));
    }

    /** The SQL {@code ORDER BY} list, e.g. {@code "precedence_key DESC, version DESC"}. */
    public String sql() {
        return keys.stream()
                .map(k -> k.column() + (k.descending() ? " DESC" : " ASC"))
                .collect(Collectors.joining(", "));
    }

    /** The same order in Java: the first version ranks first. */
    public Comparator<SemVer> comparator() {
        Comparator<SemVer> order = (a, b) -> 0;
        for (Key<?> key : keys) {
            order = order.thenComparing(key.comparator());
        }
        return order;
    }

    private record Key<T extends Comparable<T>>(
            String field, String column, boolean descending, Function<SemVer, T> value) {

        Comparator<SemVer> comparator() {
            Comparator<SemVer> ascending = Comparator.comparing(value);
            return descending ? ascending.reversed() : ascending;
        }
    }
}
