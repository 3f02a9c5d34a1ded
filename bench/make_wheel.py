"""Writes a real wheel of about SIZE_MIB MiB (stored random payload + dist-info) for the benchmarks."""
import hashlib, os, sys, zipfile

def main(path, dist, version, size_mib):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(f"{dist}/__init__.py", "")
        chunk = os.urandom(1 << 20)
        with z.open(f"{dist}/payload.bin", "w", force_zip64=True) as out:
            for i in range(size_mib):
                out.write(hashlib.sha256(chunk + i.to_bytes(4, "big")).digest() * 32768)
        write_dist_info(z, dist, version)

def write_dist_info(z, dist, version):
    """The dist-info directory of a wheel (the service checks its name against the published version)."""
    di = f"{dist}-{version}.dist-info"
    z.writestr(f"{di}/METADATA", f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    z.writestr(f"{di}/WHEEL", "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    z.writestr(f"{di}/top_level.txt", f"{dist}\n")
    z.writestr(f"{di}/RECORD", "")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
