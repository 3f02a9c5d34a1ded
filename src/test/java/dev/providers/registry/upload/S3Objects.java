package dev.providers.registry.upload;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** What the S3 bucket of the tests holds, read with a client of the test's own (the service's configuration). */
final class S3Objects {

    private S3Objects() {}

    /**
     * Objects that no wheel_blobs row names, and multipart uploads never completed nor aborted.
     *
     * @param rowsNaming how many wheel_blobs rows of the s3 backend name a key
     */
    static List<String> orphans(Function<String, Long> rowsNaming) {
        Config config = ConfigProvider.getConfig();
        String bucket = config.getValue("registry.storage.s3.bucket", String.class);
        List<String> orphans = new ArrayList<>();
        try (S3AsyncClient client = S3AsyncClient.builder()
                .httpClient(NettyNioAsyncHttpClient.builder().build())
                .endpointOverride(URI.create(config.getValue("registry.storage.s3.endpoint", String.class)))
                .region(Region.of(config.getValue("registry.storage.s3.region", String.class)))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        config.getValue("registry.storage.s3.access-key-id", String.class),
                        config.getValue("registry.storage.s3.secret-access-key", String.class))))
                .build()) {
            client.listObjectsV2Paginator(r -> r.bucket(bucket))
                    .contents()
                    .subscribe(object -> {
                        if (rowsNaming.apply(object.key()) == 0) {
                            orphans.add(object.key());
                        }
                    })
                    .join();
            client.listMultipartUploads(r -> r.bucket(bucket))
                    .join()
                    .uploads()
                    .forEach(upload -> orphans.add("unfinished multipart upload of " + upload.key()));
        }
        return orphans;
    }
}
