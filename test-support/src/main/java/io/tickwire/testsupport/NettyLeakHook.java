package io.tickwire.testsupport;

import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * The jqwik twin of {@link NettyLeakExtension}: jqwik properties run on their own engine, which JUnit Jupiter
 * extensions never see. Registered for every container through {@code META-INF/services}; checks after each test
 * class.
 */
public final class NettyLeakHook implements AfterContainerHook
{
    public PropagationMode propagateTo()
    {
        return PropagationMode.ALL_DESCENDANTS;
    }

    public void afterContainer(final ContainerLifecycleContext context) throws InterruptedException
    {
        if (context.optionalContainerClass().isPresent())
        {
            NettyLeaks.assertNoLeaks(context.label());
        }
    }
}
