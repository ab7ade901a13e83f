package dev.miniplatform.devservices;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Prepares a Keycloak distribution that something else starts (bin/cluster's Keycloak nodes): the sandbox realm in
 * {@code data/import} and the platform's login theme, exactly what a dev-services Keycloak gets. Run from the
 * {@code -dev} jar: {@code java -cp platform-api-*-dev.jar -Dloader.main=dev.miniplatform.devservices.SandboxKeycloakFiles
 * org.springframework.boot.loader.launch.PropertiesLauncher <keycloak home>}.
 */
public final class SandboxKeycloakFiles {

    private SandboxKeycloakFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SandboxKeycloakFiles <keycloak home>");
        }
        KeycloakProvisioner.resetData(Path.of(args[0]));
    }
}
