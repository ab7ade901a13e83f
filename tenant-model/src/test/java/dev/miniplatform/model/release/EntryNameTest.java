package dev.miniplatform.model.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.miniplatform.model.validation.Rejected.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class EntryNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"app.json", "pages/index/index.js", "pages/", "a/b/c/d.wxss", "images/logo@2x.png",
            "my file.js", "..hidden", "x..y/z", "页面/首页.js"})
    void acceptsRelativeNamesThatStayInsideThePackage(String name) {
        assertThat(EntryName.of(name, 512).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs/path.js", "/", "../../etc/passwd", "pages/../../x.js", "pages/..", "..",
            "a\\b.js", "..\\..\\windows\\win.ini", "C:/windows/x.js", "c:x.js", "a/b:stream", "a\u0000.js",
            "a\n.js", "a\u007F", "a//b.js", "./a.js", "a/./b.js", "//server/share", ""})
    void refusesNamesThatEscapeOrConfuseAFileSystem(String name) {
        assertRejected(() -> EntryName.of(name, 512), "package", "entry-name");
    }

    @Test
    void refusesANullName() {
        assertRejected(() -> EntryName.of(null, 512), "package", "entry-name");
    }

    @Test
    void refusesOverlongNames() {
        assertThat(EntryName.of("a".repeat(512), 512).value()).hasSize(512);
        assertRejected(() -> EntryName.of("a".repeat(513), 512), "package", "entry-name");
    }

    @Test
    void onlyTheRootAppJsonIsTheManifest() {
        assertThat(EntryName.of("app.json", 512).isManifest()).isTrue();
        assertThat(EntryName.of("pages/app.json", 512).isManifest()).isFalse();
        assertThat(EntryName.of("APP.JSON", 512).isManifest()).isFalse();
        assertThat(EntryName.of("app.json/", 512).isManifest()).isFalse();
    }
}
