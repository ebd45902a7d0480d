package io.tickwire.testsupport;

import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link RedisServer} per test class: {@code @ExtendWith(RedisServerExtension.class)}, then take a
 * {@link RedisServer} parameter in a constructor, a {@code @BeforeAll} or a test method. Tests sharing the server
 * keep apart by key prefix: {@link #uniquePrefix()}. The server stops after the class.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver
{
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(RedisServerExtension.class);

    /** @return a fresh key prefix such as {@code t3f9a1c2e:} */
    public static String uniquePrefix()
    {
        return "t" + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ":";
    }

    public void beforeAll(final ExtensionContext context)
    {
        context.getStore(NAMESPACE).put(RedisServer.class, RedisServer.start());
    }

    public void afterAll(final ExtensionContext context)
    {
        final RedisServer server = context.getStore(NAMESPACE).remove(RedisServer.class, RedisServer.class);
        if (server != null)
        {
            server.close();
        }
    }

    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context)
    {
        return parameter.getParameter().getType() == RedisServer.class;
    }

    /** Method contexts read their class's store: stores are searched from the child upwards. */
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context)
    {
        return context.getStore(NAMESPACE).get(RedisServer.class, RedisServer.class);
    }
}
