package dev.miniplatform.api.authorization;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PkceTest {

    @Test
    void pkceChallengeIsTheS256OfTheVerifier() {
        // expected value computed independently with Python: urlsafe_b64encode(sha256(verifier)) without padding
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mJ92IXVT9Sc3f0SgEJqB4t6F-cSd0k"))
                .isEqualTo("pFPqddzeK0Wb4UVkIQGghqWFYiXyfH-Al6e4XQxxQ0M");
        Pkce pkce = Pkce.generate();
        assertThat(pkce.verifier()).hasSize(43);
        assertThat(Pkce.challenge(pkce.verifier())).isEqualTo(pkce.challenge());
    }
}
