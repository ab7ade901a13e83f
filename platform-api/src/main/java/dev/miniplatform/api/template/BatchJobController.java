package dev.miniplatform.api.template;

import dev.miniplatform.api.paging.Page;
import dev.miniplatform.api.paging.PageParams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

@Tag(name = "Batch jobs", description = "Apply a template to many merchants, release or roll back their mini programs")
@RestController
@RequestMapping("/api/v1/tenants/{isvId}/batch-jobs")
class BatchJobController {

    private final BatchJobService jobs;
    private final BatchProperties properties;
    private final JobEventStreams streams;

    BatchJobController(BatchJobService jobs, BatchProperties properties, JobEventStreams streams) {
        this.jobs = jobs;
        this.properties = properties;
        this.streams = streams;
    }

    @Operation(summary = "Start a job (APPLY_TEMPLATE up to 10,000 merchants, RELEASE, ROLLBACK); Idempotency-Key "
            + "required: the same key and body return the same job, the same key with another body is a 422",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = BatchJobRequest.class))))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<BatchJobView>> create(@PathVariable String isvId,
                                              @Parameter(in = ParameterIn.HEADER, required = true)
                                              @RequestHeader(name = BatchJobService.IDEMPOTENCY_KEY, required = false) String key,
                                              ServerHttpRequest request, ServerHttpResponse response) {
        // access first, then the body, which may be far larger than the API's usual codec limit: read as it arrives,
        // up to platform.batch.max-request-bytes (BatchJobService.create)
        AtomicBoolean bodyRead = new AtomicBoolean();
        return Mono.fromRunnable(() -> checkDeclaredLength(request))
                .then(jobs.checkAllowed(isvId, key))
                .then(jobs.create(isvId, key, request.getBody().doOnComplete(() -> bodyRead.set(true))))
                // refused before the end of the body (too many items, an unknown template): the rest is never read,
                // so the connection cannot carry another request
                .doOnError(refused -> closeUnlessRead(response, bodyRead))
                .map(created -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .location(URI.create("/api/v1/tenants/%s/batch-jobs/%s".formatted(isvId, created.job().id())))
                        .header("Idempotent-Replayed", Boolean.toString(created.replayed()))
                        .body(created.job()));
    }

    /** A declared body above the limit is refused from its headers alone. */
    private void checkDeclaredLength(ServerHttpRequest request) {
        long limit = properties.maxRequestBytes().toBytes();
        if (request.getHeaders().getContentLength() > limit) {
            throw new DataBufferLimitException("Batch job request larger than " + limit + " bytes");
        }
    }

    private static void closeUnlessRead(ServerHttpResponse response, AtomicBoolean bodyRead) {
        if (!bodyRead.get()) {
            response.getHeaders().setConnection("close");
        }
    }

    @Operation(summary = "The workspace's jobs, newest first (paged), with their progress")
    @GetMapping
    Mono<Page<BatchJobView>> list(@PathVariable String isvId, @RequestParam(required = false) Integer page,
                                  @RequestParam(required = false) Integer size) {
        return jobs.list(isvId, PageParams.of(page, size));
    }

    @Operation(summary = "A job's state and progress: total, succeeded, failed, skipped, pending")
    @GetMapping("/{jobId}")
    Mono<BatchJobView> get(@PathVariable String isvId, @PathVariable String jobId) {
        return jobs.view(isvId, jobId);
    }

    @Operation(summary = "A job's items with their results, in order (paged), optionally of one state")
    @GetMapping("/{jobId}/items")
    Mono<Page<BatchItemView>> items(@PathVariable String isvId, @PathVariable String jobId,
                                    @RequestParam(required = false) String state,
                                    @RequestParam(required = false) Integer page,
                                    @RequestParam(required = false) Integer size) {
        return jobs.items(isvId, jobId, state, PageParams.of(page, size));
    }

    @Operation(summary = "Progress as Server-Sent Events (event 'progress', the job as data) until the job ends or the "
            + "stream's lifetime (platform.batch.streams.max-lifetime) is over; 429 when the caller or the node has as "
            + "many streams open as allowed")
    @GetMapping(path = "/{jobId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<BatchJobView>> events(@PathVariable String isvId, @PathVariable String jobId) {
        return streams.bounded(jobs.progress(isvId, jobId))
                .map(view -> ServerSentEvent.builder(view)
                        .event("progress")
                        .id(Long.toString(view.succeeded() + view.failed() + view.skipped()))
                        .build());
    }

    @Operation(summary = "Cancel: items not yet started are SKIPPED, items under way finish")
    @PostMapping("/{jobId}/cancel")
    Mono<BatchJobView> cancel(@PathVariable String isvId, @PathVariable String jobId) {
        return jobs.cancel(isvId, jobId);
    }
}
