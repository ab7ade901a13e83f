package dev.miniplatform.api.walletapi;

import java.util.regex.Pattern;

/** URLs the wallet API hands out, and the shape of the ids it accepts in paths, keys and bodies. */
final class WalletPaths {

    static final String BASE = "/wallet/v1";

    /** App ids as the platform mints them and as seeded catalogs use them; never ':', '{' or '}' (cache keys). */
    static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A version as the platform writes it ({@code x.y.z}); anything else is not found without a query. */
    static final Pattern VERSION = Pattern.compile("[0-9]{1,9}\\.[0-9]{1,9}\\.[0-9]{1,9}");

    private WalletPaths() {
    }

    static String logo(String sha256) {
        return BASE + "/logos/" + sha256;
    }

    static String codePackage(String sha256) {
        return BASE + "/packages/" + sha256;
    }

    /** A version's ext config: immutable like the version, so the path needs no hash to be cacheable. */
    static String extConfig(String appId, String version) {
        return BASE + "/mini-programs/" + appId + "/versions/" + version + "/ext-config";
    }

    static boolean isVersion(String version) {
        return version != null && VERSION.matcher(version).matches();
    }

    static boolean isAppId(String appId) {
        return appId != null && APP_ID.matcher(appId).matches();
    }
}
