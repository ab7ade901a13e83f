package dev.miniplatform.api.sample;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class SampleZipTest {

    private static TreeMap<String, byte[]> files() {
        TreeMap<String, byte[]> files = new TreeMap<>();
        files.put("pages/index/index.axml", "<view>Hi</view>".getBytes(StandardCharsets.UTF_8));
        files.put("app.json", "{\"pages\": [\"pages/index/index\"]}".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    @Test
    void theSameFilesGiveTheSameBytesInAnyTimeZone() {
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Shanghai"));
            byte[] shanghai = SampleZip.of(files());
            TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
            byte[] losAngeles = SampleZip.of(files());
            assertThat(losAngeles).isEqualTo(shanghai);
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void entriesAreStoredInNameOrderWithTheFixedTimestampAndNoExtraField() throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(SampleZip.of(files())))) {
            ZipEntry first = zip.getNextEntry();
            assertThat(first.getName()).isEqualTo("app.json");
            assertThat(first.getMethod()).isEqualTo(ZipEntry.STORED);
            assertThat(first.getTimeLocal()).isEqualTo(SampleZip.TIMESTAMP);
            assertThat(first.getExtra()).isNull();
            assertThat(new String(zip.readAllBytes(), StandardCharsets.UTF_8)).contains("pages/index/index");
            assertThat(zip.getNextEntry().getName()).isEqualTo("pages/index/index.axml");
            assertThat(zip.getNextEntry()).isNull();
        }
    }
}
