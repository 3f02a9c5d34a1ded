package dev.providers.registry.support;

/**
 * The HTTPS wheel servers of the test suite, started once per JVM, all on loopback:
 * {@link #wheels()} on 127.0.0.1 (inside the test allow-list), {@link #blocked()} on 127.0.0.3 (outside it: it must
 * never see a request), and {@link #wrongCert()} on 127.0.0.1 with a certificate for another host name.
 */
public final class TestServers {

    private static TestWheelServer wheels;
    private static TestWheelServer blocked;
    private static TestWheelServer wrongCert;

    private TestServers() {}

    public static synchronized TestWheelServer wheels() {
        if (wheels == null) {
            wheels = TestWheelServer.start("127.0.0.1", "tls/wheels.pem", "tls/wheels.key");
        }
        return wheels;
    }

    public static synchronized TestWheelServer blocked() {
        if (blocked == null) {
            blocked = TestWheelServer.start("127.0.0.3", "tls/wheels.pem", "tls/wheels.key");
        }
        return blocked;
    }

    public static synchronized TestWheelServer wrongCert() {
        if (wrongCert == null) {
            wrongCert = TestWheelServer.start("127.0.0.1", "tls/other.pem", "tls/other.key");
        }
        return wrongCert;
    }
}
