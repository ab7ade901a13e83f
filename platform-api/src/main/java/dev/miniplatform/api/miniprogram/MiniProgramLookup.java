package dev.miniplatform.api.miniprogram;

import dev.miniplatform.api.access.Access;
import dev.miniplatform.model.miniprogram.MiniProgram;
import dev.miniplatform.model.miniprogram.MiniProgramRepository;
import dev.miniplatform.model.validation.NotFoundException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The one "load the mini program in this tenant, as this caller may see it, or 404" for every feature that
 * works on a mini program (details, logos, versions, releases).
 */
@Component
public class MiniProgramLookup {

    private final MiniProgramRepository programs;

    MiniProgramLookup(MiniProgramRepository programs) {
        this.programs = programs;
    }

    public Mono<MiniProgram> visible(Access access, String appId) {
        return Mono.fromCallable(() -> access.requireVisible(appId))
                .flatMap(allowed -> programs.findById(appId))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Mini program")));
    }
}
