package dev.vreg.testkit.go;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a zip's central directory raw, to see what {@link java.util.zip.ZipFile} hides: flags and methods. */
final class ZipDirectory {

    /** One central-directory record. */
    record Entry(String name, int flags, int method, long compressedSize, long size) {
        boolean utf8Flag() {
            return (flags & 0x800) != 0;
        }
    }

    private ZipDirectory() {
    }

    static List<Entry> read(Path zip) throws IOException {
        try (FileChannel channel = FileChannel.open(zip)) {
            int tail = (int) Math.min(channel.size(), 22 + 65535);
            ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(end, channel.size() - tail);
            int eocd = tail - 22;
            while (eocd >= 0 && end.getInt(eocd) != 0x06054b50) {
                eocd--;
            }
            if (eocd < 0) {
                throw new IOException("no end of central directory in " + zip);
            }
            int count = end.getShort(eocd + 10) & 0xffff;
            int size = end.getInt(eocd + 12);
            long offset = end.getInt(eocd + 16) & 0xffffffffL;
            ByteBuffer dir = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(dir, offset);
            List<Entry> entries = new ArrayList<>();
            int at = 0;
            for (int i = 0; i < count; i++) {
                if (dir.getInt(at) != 0x02014b50) {
                    throw new IOException("bad central directory record " + i);
                }
                int nameLength = dir.getShort(at + 28) & 0xffff;
                int extraLength = dir.getShort(at + 30) & 0xffff;
                int commentLength = dir.getShort(at + 32) & 0xffff;
                byte[] name = new byte[nameLength];
                dir.get(at + 46, name);
                entries.add(new Entry(new String(name, StandardCharsets.UTF_8), dir.getShort(at + 8) & 0xffff,
                        dir.getShort(at + 10) & 0xffff, dir.getInt(at + 20) & 0xffffffffL,
                        dir.getInt(at + 24) & 0xffffffffL));
                at += 46 + nameLength + extraLength + commentLength;
            }
            return entries;
        }
    }
}
