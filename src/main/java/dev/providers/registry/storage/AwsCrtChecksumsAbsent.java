package dev.providers.registry.storage;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;

/**
 * Native image only: the AWS SDK's checksum provider names classes of the AWS Common Runtime (aws-crt: CRC32C,
 * CRC64NVME, xxHash), an optional native library this service does not ship; it checks for them at run time, but
 * Quarkus links every class at build time, so the build fails on the missing types. These methods are reached only
 * when aws-crt is present, so in the executable they report that it is not. The S3 store asks for no such checksum
 * (checksums are calculated WHEN_REQUIRED, i.e. MD5 or none).
 */
@TargetClass(className = "software.amazon.awssdk.checksums.internal.ChecksumProvider")
final class AwsCrtChecksumsAbsent {

    // A substitution class may hold nothing but substituted members: no helper, field or constructor of its own.

    @Substitute
    static SdkChecksum createCrtCrc32C() {
        throw new UnsupportedOperationException("this checksum needs aws-crt, which this executable does not contain");
    }

    @Substitute
    static SdkChecksum crc64NvmeCrtImplementation() {
        throw new UnsupportedOperationException("this checksum needs aws-crt, which this executable does not contain");
    }

    @Substitute
    static SdkChecksum crtXxHash(ChecksumAlgorithm algorithm) {
        throw new UnsupportedOperationException("this checksum needs aws-crt, which this executable does not contain");
    }
}
