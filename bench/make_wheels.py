"""Writes COUNT real wheels of about SIZE_KIB KiB each, versions 1.0.1 .. 1.0.COUNT (file names
{dist}-1.0.N-py3-none-any.whl), for the publish-throughput benchmark. The stored payload is the same
random block in every wheel; the dist-info differs (it carries the version)."""
import os, sys, zipfile

from make_wheel import write_dist_info

def main(directory, dist, count, size_kib):
    payload = os.urandom(size_kib * 1024)
    for n in range(1, count + 1):
        version = f"1.0.{n}"
        with zipfile.ZipFile(os.path.join(directory, f"{dist}-{version}-py3-none-any.whl"), "w",
                             compression=zipfile.ZIP_STORED) as z:
            z.writestr(f"{dist}/__init__.py", "")
            z.writestr(f"{dist}/payload.bin", payload)
            write_dist_info(z, dist, version)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
