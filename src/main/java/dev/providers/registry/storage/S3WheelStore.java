package dev.providers.registry.storage;

import dev.providers.registry.config.RegistryConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Wheels in an S3 bucket ({@code registry.storage.kind=s3}), through the AWS SDK v2 async client on Netty. A blob
 * is one object under {@code key-prefix} + a random id (the full object key is the blob's key, so that a later
 * prefix change leaves stored blobs readable). Writes: a single PutObject for a blob smaller than one part, else a
 * multipart upload in parts of {@code part-size}, one part uploading while the next fills ({@link PartedBlobWrite}:
 * at most about two parts in memory). Reads: a ranged GET of a presigned URL on a Vert.x HTTP client, its body
 * fetched as the subscriber requests it ({@link S3Downloads}). Every result is delivered on the caller's Vert.x
 * context, never on an SDK thread.
 * <p>
 * Not a CDI bean: {@link WheelStores} creates it only when the kind is {@code s3}, so no S3 client exists otherwise.
 */
final class S3WheelStore implements WheelStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3WheelStore.class);

    /** S3 refuses parts (but the last) below 5 MiB. */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /** Bound of the requests that are not streams (create, complete, abort, delete, list, head). */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** Bound of one part's upload (a part is at most part-size bytes). */
    static final Duration PART_TIMEOUT = Duration.ofMinutes(2);

    private final Vertx vertx;
    private final S3AsyncClient client;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    private final S3Downloads downloads;

    S3WheelStore(RegistryConfig.Storage config, Vertx vertx) {
        RegistryConfig.Storage.S3 s3 = config.s3();
        long part = s3.partSize().asLongValue();
        if (part < MIN_PART_SIZE || part > 512L * 1024 * 1024) {
            throw new IllegalStateException(
                    "registry.storage.s3.part-size must be between 5M (S3's smallest part) and 512M, not " + part);
        }
        this.vertx = vertx;
        this.bucket = s3.bucket();
        this.prefix = s3.keyPrefix();
        this.partSize = (int) part;
        AwsCredentialsProvider credentials = credentials(s3);
        this.client = client(s3, credentials);
        this.downloads = new S3Downloads(vertx, presigner(s3, credentials), bucket);
    }

    private static AwsCredentialsProvider credentials(RegistryConfig.Storage.S3 s3) {
        return s3.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        s3.accessKeyId().get(),
                        s3.secretAccessKey()
                                .orElseThrow(() -> new IllegalStateException(
                                        "registry.storage.s3.access-key-id is set without secret-access-key"))))
                : DefaultCredentialsProvider.builder().build();
    }

    private static S3AsyncClient client(RegistryConfig.Storage.S3 s3, AwsCredentialsProvider credentials) {
        SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .connectionAcquisitionTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .maxConcurrency(64)
                .build();
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .httpClient(http)
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(s3.pathStyle())
                // Checksums only where S3 requires them: S3-compatible servers do not all know the newer trailers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        s3.endpoint().map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Signs the reads' URLs as the client would address and sign its requests (same endpoint rules). */
    private static S3Presigner presigner(RegistryConfig.Storage.S3 s3, AwsCredentialsProvider credentials) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(s3.pathStyle())
                        .build());
        s3.endpoint().map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public StorageKind kind() {
        return StorageKind.S3;
    }

    @Override
    public BlobWrite create() {
        Context context = context();
        return new ObjectWrite(context, prefix + UUID.randomUUID(), partSize);
    }

    @Override
    public Multi<Buffer> read(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        if (length == 0) {
            return Multi.createFrom().empty();
        }
        return downloads.read(context(), key, offset, length);
    }

    @Override
    public Uni<Void> delete(String key) {
        Context context = context();
        return abortUploadsOf(context, key)
                .chain(() -> call(
                        context,
                        () -> client.deleteObject(r ->
                                r.bucket(bucket).key(key).overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT)))))
                .replaceWithVoid();
    }

    /** Aborts every unfinished multipart upload of exactly {@code key} (a crash mid-upload leaves its parts). */
    private Uni<Void> abortUploadsOf(Context context, String key) {
        return call(
                        context,
                        () -> client.listMultipartUploads(r -> r.bucket(bucket)
                                .prefix(key)
                                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))))
                .chain(listed -> {
                    List<Uni<Void>> aborts = new ArrayList<>();
                    for (MultipartUpload upload : listed.uploads()) {
                        if (upload.key().equals(key)) {
                            aborts.add(abortUpload(context, key, upload.uploadId()));
                        }
                    }
                    return aborts.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : Uni.join().all(aborts).andFailFast().replaceWithVoid();
                });
    }

    private Uni<Void> abortUpload(Context context, String key, String uploadId) {
        return call(
                        context,
                        () -> client.abortMultipartUpload(r -> r.bucket(bucket)
                                .key(key)
                                .uploadId(uploadId)
                                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))))
                .onFailure(NoSuchUploadException.class)
                .recoverWithNull()
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> check() {
        return call(
                        context(),
                        () -> client.headBucket(r ->
                                r.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5)))))
                .replaceWithVoid();
    }

    @Override
    public void close() {
        downloads.close();
        client.close();
    }

    /** An SDK call, subscribed lazily, its outcome delivered on {@code context}. */
    private static <T> Uni<T> call(Context context, Supplier<CompletableFuture<T>> request) {
        return Uni.createFrom()
                .completionStage(request)
                .onFailure(java.util.concurrent.CompletionException.class)
                .transform(failure -> failure.getCause() == null ? failure : failure.getCause())
                .emitOn(executor(context));
    }

    private static Executor executor(Context context) {
        return task -> context.runOnContext(v -> task.run());
    }

    private Context context() {
        Context current = Vertx.currentContext();
        return current != null ? current : vertx.getOrCreateContext();
    }

    /** One object: PutObject when it ends within the first part, else a multipart upload. */
    private final class ObjectWrite extends PartedBlobWrite {

        private final Context context;
        private final List<CompletedPart> parts = new ArrayList<>();
        private volatile String uploadId;

        ObjectWrite(Context context, String key, int partSize) {
            super(context, key, partSize);
            this.context = context;
        }

        @Override
        protected Uni<Void> storePart(int part, BlobPart bytes) {
            Uni<Void> started = uploadId != null
                    ? Uni.createFrom().voidItem()
                    : call(
                                    context,
                                    () -> client.createMultipartUpload(r -> r.bucket(bucket)
                                            .key(key())
                                            .contentType("application/octet-stream")
                                            .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))))
                            .invoke(created -> uploadId = created.uploadId())
                            .replaceWithVoid();
            return started.chain(() -> uploadPart(part + 1, bytes));
        }

        private Uni<Void> uploadPart(int number, BlobPart bytes) {
            return call(
                            context,
                            () -> client.uploadPart(
                                    r -> r.bucket(bucket)
                                            .key(key())
                                            .uploadId(uploadId)
                                            .partNumber(number)
                                            .contentLength((long) bytes.length())
                                            .overrideConfiguration(o -> o.apiCallTimeout(PART_TIMEOUT)),
                                    body(bytes)))
                    .invoke(uploaded -> {
                        synchronized (parts) {
                            parts.add(CompletedPart.builder()
                                    .partNumber(number)
                                    .eTag(uploaded.eTag())
                                    .build());
                        }
                    })
                    .replaceWithVoid();
        }

        /** The part's buffers as they are: the SDK reads them (again on a retry), nothing copies them first. */
        private static AsyncRequestBody body(BlobPart bytes) {
            return AsyncRequestBody.fromRemainingByteBuffersUnsafe(bytes.nioBuffers());
        }

        @Override
        protected Uni<Void> complete(int fullParts, BlobPart last) {
            if (fullParts == 0) {
                return call(
                                context,
                                () -> client.putObject(
                                        r -> r.bucket(bucket)
                                                .key(key())
                                                .contentType("application/octet-stream")
                                                .contentLength((long) last.length())
                                                .overrideConfiguration(o -> o.apiCallTimeout(PART_TIMEOUT)),
                                        body(last)))
                        .replaceWithVoid();
            }
            Uni<Void> lastPart = last.length() == 0 ? Uni.createFrom().voidItem() : uploadPart(fullParts + 1, last);
            return lastPart.chain(() -> {
                        List<CompletedPart> done;
                        synchronized (parts) {
                            done = List.copyOf(parts);
                        }
                        return call(
                                context,
                                () -> client.completeMultipartUpload(r -> r.bucket(bucket)
                                        .key(key())
                                        .uploadId(uploadId)
                                        .multipartUpload(CompletedMultipartUpload.builder()
                                                .parts(done)
                                                .build())
                                        .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))));
                    })
                    .replaceWithVoid();
        }

        @Override
        protected Uni<Void> remove() {
            String upload = uploadId;
            Uni<Void> aborted = upload == null ? Uni.createFrom().voidItem() : abortUpload(context, key(), upload);
            return aborted.chain(() -> call(
                            context,
                            () -> client.deleteObject(r -> r.bucket(bucket)
                                    .key(key())
                                    .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT)))))
                    .invoke(() -> LOG.debugf("Removed blob %s of an aborted write", key()))
                    .replaceWithVoid();
        }
    }
}
