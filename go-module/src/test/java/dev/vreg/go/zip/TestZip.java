package dev.vreg.go.zip;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes zip files byte by byte, so tests can build archives that lie in every way a hostile upstream might. */
final class TestZip {

    /** One entry; every field a test may falsify is public. */
    static final class Entry {
        String name;
        byte[] content;
        int method = 8;
        boolean descriptor;
        Long declaredSize;
        Long declaredCrc;
        Long descriptorCrc;
        String localName;
        Integer localMethod;
        Entry storedInside;
        /** Left out of the central directory. */
        boolean unlisted;
        /** The uncompressed size the central directory alone gives. */
        Long directorySize;
        /** The uncompressed size the data descriptor alone gives. */
        Long descriptorSize;
        /** Bytes that no entry owns, written before this entry's local header. */
        byte[] before;
        long offset;
        int dataStart;

        Entry(String name, byte[] content) {
            this.name = name;
            this.content = content;
        }

        byte[] data() {
            if (method != 8) {
                return content;
            }
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(content);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            d.end();
            return out.toByteArray();
        }

        long crc() {
            CRC32 crc = new CRC32();
            crc.update(content);
            return declaredCrc != null ? declaredCrc : crc.getValue();
        }

        long size() {
            return declaredSize != null ? declaredSize : content.length;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    Entry add(String name, String content) {
        return add(name, content.getBytes(UTF_8));
    }

    Entry add(String name, byte[] content) {
        Entry e = new Entry(name, content);
        entries.add(e);
        return e;
    }

    /** The local header, data and data descriptor of one entry. */
    static byte[] localRecord(Entry e) {
        byte[] name = (e.localName != null ? e.localName : e.name).getBytes(UTF_8);
        byte[] data = e.data();
        ByteBuffer b = le(30 + name.length + data.length + 16);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) flags(e))
                .putShort((short) (e.localMethod != null ? e.localMethod : e.method))
                .putShort((short) 0).putShort((short) 0x21)
                .putInt((int) (e.descriptor ? 0 : e.crc()))
                .putInt(e.descriptor ? 0 : data.length)
                .putInt((int) (e.descriptor ? 0 : e.size()))
                .putShort((short) name.length).putShort((short) 0).put(name);
        e.dataStart = b.position();
        b.put(data);
        if (e.descriptor) {
            long crc = e.descriptorCrc != null ? e.descriptorCrc : e.crc();
            long size = e.descriptorSize != null ? e.descriptorSize : e.size();
            b.putInt(0x08074b50).putInt((int) crc).putInt(data.length).putInt((int) size);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    byte[] build() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) {
            if (e.storedInside == null) {
                if (e.before != null) {
                    out.write(e.before);
                }
                e.offset = out.size();
                out.write(localRecord(e));
            }
        }
        long cenOffset = out.size();
        List<Entry> listed = entries.stream().filter(e -> !e.unlisted).toList();
        for (Entry e : listed) {
            long offset = e.offset;
            if (e.storedInside != null) {
                // The outer entry is stored, so its content (this entry's local record) sits verbatim in its data.
                offset = e.storedInside.offset + e.storedInside.dataStart;
            }
            byte[] name = e.name.getBytes(UTF_8);
            ByteBuffer b = le(46 + name.length);
            b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) flags(e))
                    .putShort((short) e.method).putShort((short) 0).putShort((short) 0x21)
                    .putInt((int) e.crc()).putInt(e.data().length)
                    .putInt((int) (e.directorySize != null ? e.directorySize : e.size()))
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset).put(name);
            out.write(b.array());
        }
        long cenSize = out.size() - cenOffset;
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) listed.size()).putShort((short) listed.size())
                .putInt((int) cenSize).putInt((int) cenOffset).putShort((short) 0);
        out.write(end.array());
        return out.toByteArray();
    }

    Path write(Path dir) throws IOException {
        Path file = Files.createTempFile(dir, "module", ".zip");
        Files.write(file, build());
        return file;
    }

    private static int flags(Entry e) {
        return 0x800 | (e.descriptor ? 0x8 : 0);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
