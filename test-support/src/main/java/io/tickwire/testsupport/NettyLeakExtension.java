package io.tickwire.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a JUnit Jupiter test class when Netty reported a leaked buffer while it ran. Registered for every test class
 * through {@code META-INF/services} and {@code junit.jupiter.extensions.autodetection.enabled=true} (set by the
 * parent pom's surefire configuration).
 */
public final class NettyLeakExtension implements AfterAllCallback
{
    public void afterAll(final ExtensionContext context) throws InterruptedException
    {
        NettyLeaks.assertNoLeaks(context.getDisplayName());
    }
}
