package dev.miniplatform.api.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a real service (Keycloak, the SMTP server) that a test can switch:
 * {@link Mode#PASS} forwards, {@link Mode#REFUSE} resets every connection (the service is down), {@link Mode#HANG}
 * accepts connections and never answers (the service is stuck). Switching cuts the connections already open, as a
 * dying server would, and a connection that outlived the switch is cut at its next byte: nothing passes unless the
 * mode is PASS at that moment. Test-only; plain threads, blocking I/O.
 */
public final class SwitchableProxy implements AutoCloseable {

    public enum Mode { PASS, REFUSE, HANG }

    private final int port;
    private volatile int targetPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "switchable-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.PASS;
    private volatile ServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();

    private SwitchableProxy(int port, int targetPort) {
        this.port = port;
        this.targetPort = targetPort;
    }

    /**
     * Listens on a free loopback port now (so its address can go into the configuration before the application
     * starts); {@link #target} says where to forward once the service's port is known.
     */
    public static SwitchableProxy toLater() {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SwitchableProxy proxy = new SwitchableProxy(probe.getLocalPort(), -1);
            probe.close();
            proxy.listen();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void target(int port) {
        this.targetPort = port;
    }

    public int port() {
        return port;
    }

    /** Connections accepted so far, in any mode: whether anything connected at all. */
    public int accepted() {
        return accepted.get();
    }

    public synchronized void set(Mode next) {
        if (next == mode) {
            return;
        }
        mode = next;
        cutOpenConnections();
    }

    private void listen() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            listener = socket;
            threads.execute(() -> accept(socket));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                accepted.incrementAndGet();
                open.add(client);
                switch (mode) {
                    case PASS -> threads.execute(() -> forward(client));
                    case HANG -> threads.execute(() -> swallow(client));
                    case REFUSE -> reset(client);
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        try {
            Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            open.add(server);
            threads.execute(() -> pump(client, server));
            pump(server, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private static void reset(Socket client) {
        try {
            client.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(client);
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (mode != Mode.PASS) {
                    break;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** HANG: read whatever comes, answer nothing, until cut. */
    private static void swallow(Socket client) {
        byte[] buffer = new byte[4096];
        try (InputStream in = client.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // cut
        }
    }

    private void cutOpenConnections() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(listener);
        cutOpenConnections();
        threads.shutdownNow();
    }
}
