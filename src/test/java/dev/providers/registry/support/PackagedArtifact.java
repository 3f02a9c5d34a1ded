package dev.providers.registry.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What {@code package} built, as Quarkus records it in {@code target/quarkus-artifact.properties}: the fast-jar or,
 * with {@code -Dnative}, the native executable. The integration tests that launch the service themselves start the
 * same artifact that {@code @QuarkusIntegrationTest} starts.
 */
public record PackagedArtifact(Path path, boolean nativeExecutable) {

    private static final Path TARGET = Path.of("target").toAbsolutePath();

    /** The artifact of the last {@code package}; fails when there is none. */
    public static PackagedArtifact built() {
        Path file = TARGET.resolve("quarkus-artifact.properties");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: the integration tests run after `package`");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path path = TARGET.resolve(p.getProperty("path"));
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " (from " + file + ") is missing");
        }
        return new PackagedArtifact(path, "native".equals(p.getProperty("type")));
    }

    /**
     * The command that starts the artifact with {@code maxHeap} and {@code settings} ({@code -Dkey=value}): the
     * native executable takes both options itself, the jar through the test JVM's {@code java}.
     */
    public List<String> command(String maxHeap, List<String> settings) {
        List<String> command = new ArrayList<>();
        if (nativeExecutable) {
            command.add(path.toString());
            command.add("-Xmx" + maxHeap);
            command.addAll(settings);
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + maxHeap);
            command.addAll(settings);
            command.add("-jar");
            command.add(path.toString());
        }
        return command;
    }
}
