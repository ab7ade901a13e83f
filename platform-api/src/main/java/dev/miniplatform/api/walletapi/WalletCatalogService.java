package dev.miniplatform.api.walletapi;

import dev.miniplatform.model.release.Environment;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.NotFoundException;
import dev.miniplatform.model.validation.Validation;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The wallet metadata API: reads cut from cached documents, the list and the change feed from PostgreSQL.
 */
@Service
class WalletCatalogService {

    static final int MAX_BATCH = 100;

    private final CatalogCache cache;
    private final CatalogQueries queries;
    private final WalletFiles files;
    private final JsonMapper json;

    WalletCatalogService(CatalogCache cache, CatalogQueries queries, WalletFiles files, JsonMapper json) {
        this.cache = cache;
        this.queries = queries;
        this.files = files;
        this.json = json;
    }

    Mono<WalletAnswer> get(UUID walletId, String appId, String environment, String userId, String acceptLanguage) {
        Environment target = environment(environment);
        if (!WalletPaths.isAppId(appId)) {
            return Mono.error(new NotFoundException("Mini program"));
        }
        return answer(walletId, target, appId, userId, acceptLanguage)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Mini program")));
    }

    /** {"items": [answers in request order], "missing": [ids with nothing live for this wallet and user]}. */
    Mono<byte[]> batchGet(UUID walletId, BatchGetRequest request, String acceptLanguage) {
        List<String> appIds = validBatch(request);
        Environment target = environment(request.environment());
        return Flux.fromIterable(appIds)
                .flatMapSequential(appId -> answer(walletId, target, appId, request.userId(), acceptLanguage)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .map(answer -> new Found(appId, answer)), 16)
                .collectList()
                .map(this::batchBody);
    }

    private record Found(String appId, Optional<WalletAnswer> answer) {
    }

    private byte[] batchBody(List<Found> found) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"items\":[".getBytes());
        List<String> missing = new ArrayList<>();
        boolean first = true;
        for (Found each : found) {
            if (each.answer().isEmpty()) {
                missing.add(each.appId());
                continue;
            }
            if (!first) {
                out.write(',');
            }
            out.writeBytes(each.answer().get().body());
            first = false;
        }
        out.writeBytes("],\"missing\":".getBytes());
        out.writeBytes(json.writeValueAsBytes(missing));
        out.write('}');
        return out.toByteArray();
    }

    Mono<CatalogQueries.ListPage> list(UUID walletId, ListRequest request) {
        return queries.list(walletId, request);
    }

    Mono<CatalogQueries.ChangePage> changes(UUID walletId, String since, Integer limit, String environment) {
        Validation validation = new Validation();
        ChangeCursor cursor = validation.attempt(() -> ChangeCursor.parse("since", since));
        Environment target = validation.attempt(() -> environment(environment));
        int size = limit == null ? 500 : limit;
        if (size < 1 || size > 1000) {
            validation.reject("limit", "range", "1 to 1000");
        }
        validation.throwIfInvalid();
        return queries.changes(walletId, target, cursor, size);
    }

    Mono<WalletFiles.WalletFile> logo(UUID walletId, String sha256) {
        return file(sha256, () -> files.logo(walletId, sha256));
    }

    Mono<WalletFiles.WalletFile> codePackage(UUID walletId, String sha256) {
        return file(sha256, () -> files.codePackage(walletId, sha256));
    }

    Mono<WalletFiles.WalletFile> extConfig(UUID walletId, String appId, String version) {
        if (!WalletPaths.isAppId(appId) || !WalletPaths.isVersion(version)) {
            return Mono.error(new NotFoundException("Ext config"));
        }
        return files.extConfig(walletId, appId, version)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Ext config")));
    }

    private static Mono<WalletFiles.WalletFile> file(String sha256, Supplier<Mono<WalletFiles.WalletFile>> query) {
        if (sha256 == null || !WalletPaths.SHA256.matcher(sha256).matches()) {
            return Mono.error(new NotFoundException("File"));
        }
        return query.get()
                .switchIfEmpty(Mono.error(() -> new NotFoundException("File")));
    }

    private Mono<WalletAnswer> answer(UUID walletId, Environment target, String appId, String userId,
                                      String acceptLanguage) {
        return cache.get(new CatalogCache.Key(walletId, target, appId))
                .flatMap(entry -> Mono.justOrEmpty(entry.answer(appId, acceptLanguage, userId)));
    }

    static Environment environment(String raw) {
        return raw == null || raw.isEmpty() ? Environment.PROD : Environment.of("environment", raw);
    }

    private static List<String> validBatch(BatchGetRequest request) {
        Validation validation = new Validation();
        if (request == null || request.appIds() == null || request.appIds().isEmpty()) {
            validation.reject("appIds", "required", "list 1 to " + MAX_BATCH + " app ids");
            validation.throwIfInvalid();
        }
        if (request.appIds().size() > MAX_BATCH) {
            validation.reject("appIds", "size", "at most " + MAX_BATCH + " app ids per request, got " + request.appIds().size());
        }
        for (int i = 0; i < Math.min(request.appIds().size(), MAX_BATCH + 1); i++) {
            if (!WalletPaths.isAppId(request.appIds().get(i))) {
                validation.reject("appIds[" + i + "]", "format", "an app id: 1 to 64 letters, digits, '-' or '_'");
            }
        }
        if (request.userId() != null && (request.userId().isBlank() || request.userId().length() > 128)) {
            validation.reject("userId", "format", "1 to 128 characters");
        }
        validation.attempt(() -> environment(request.environment()));
        validation.throwIfInvalid();
        return List.copyOf(new LinkedHashSet<>(request.appIds()));
    }

    static void requireUserId(String userId) {
        if (userId != null && (userId.isBlank() || userId.length() > 128)) {
            throw InvalidInputException.of("userId", "format", "1 to 128 characters");
        }
    }
}
