package dev.miniplatform.devservices;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;

import java.util.List;

/**
 * The in-process SMTP server (GreenMail) that dev and test runs send mail to. Tests read what was sent through
 * {@link #received()}; nothing leaves the machine.
 */
public final class MailCatcher {

    private static GreenMail server;

    private MailCatcher() {
    }

    static synchronized ServiceAddress start() {
        if (server == null) {
            int port = Ports.free();
            GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            greenMail.start();
            Runtime.getRuntime().addShutdownHook(new Thread(greenMail::stop, "stop-greenmail"));
            server = greenMail;
        }
        return new ServiceAddress("127.0.0.1", server.getSmtp().getPort(), "GreenMail in-process");
    }

    /** Every message received since the JVM started, oldest first. */
    public static synchronized List<MimeMessage> received() {
        if (server == null) {
            throw new IllegalStateException("no in-process SMTP server runs: platform.dev-services.enabled is false or spring.mail.host is set");
        }
        return List.of(server.getReceivedMessages());
    }
}
