package dev.providers.registry.simple;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.db.DatabaseDeadline;
import dev.providers.registry.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The simple index's read side: what a caller sees of an organization, a project or a file, as page data. Invisible
 * things are absent (404), never forbidden.
 */
@ApplicationScoped
@DatabaseDeadline
public class SimpleIndexService {

    private final SimpleQueries queries;

    public SimpleIndexService(SimpleQueries queries) {
        this.queries = queries;
    }

    public Uni<List<String>> index(String org, Caller caller) {
        return queries.projects(org, caller).invoke(projects -> {
            if (projects.isEmpty()) {
                throw SimpleIndexResource.notFound("no project in the index of '" + org + "'");
            }
        });
    }

    public Uni<List<SimpleFile>> project(String org, String project, Caller caller) {
        return files(org, project, caller).invoke(files -> {
            if (files.isEmpty()) {
                throw noProject(org, project);
            }
        });
    }

    /** The files of a project the caller may see; none when there is no such project (for the caller). */
    public Uni<List<SimpleFile>> files(String org, String project, Caller caller) {
        return queries.files(org, project, caller).map(rows -> {
            List<SimpleFile> files = new ArrayList<>(rows.size());
            for (SimpleQueries.FileRow row : rows) {
                files.add(new SimpleFile(
                        row.filename(),
                        fileUrl(org, project, row),
                        row.sha256(),
                        row.requiresPython(),
                        row.yanked(),
                        row.yankedReason(),
                        row.coreMetadataSha256()));
            }
            return files;
        });
    }

    static ProblemException noProject(String org, String project) {
        return SimpleIndexResource.notFound("no project '" + project + "' in the index of '" + org + "'");
    }

    public Uni<SimpleQueries.FileContent> file(
            String org, String project, String sha256, String filename, Caller caller) {
        return queries.file(org, project, sha256, filename, caller).invoke(file -> {
            if (file == null) {
                throw SimpleIndexResource.notFound("no file '" + filename + "' in project '" + project + "'");
            }
        });
    }

    /**
     * Where pip fetches a file (its METADATA is at this URL + {@code .metadata}). A URL-registered wheel: the
     * registry's redirect to the recorded {@code wheel_url} ({@link SimpleIndexResource#file}), so that its METADATA
     * has a home on this host. A hosted wheel: {@link #hostedFileUrl}.
     */
    static String fileUrl(String org, String project, SimpleQueries.FileRow row) {
        return row.hosted()
                ? hostedFileUrl(row)
                : "/simple/" + org + "/" + project + "/" + row.sha256() + "/" + row.filename();
    }

    /**
     * Seam for hosted wheels (issue 12): the download path of a wheel the registry stores. Its METADATA must then be
     * served at this path + {@code .metadata} by the download resource (left for the merge).
     */
    static String hostedFileUrl(SimpleQueries.FileRow row) {
        return "/files/" + row.sha256() + "/" + row.filename();
    }
}
