package io.tickwire.bots;

/**
 * One condition a run must meet to pass, and how the run did against it.
 *
 * @param name     what is checked, named after its command line flag.
 * @param operator how {@code actual} must compare with {@code limit}: {@code <=} or {@code >=}.
 * @param limit    the bound.
 * @param actual   what the run measured; NaN when it measured nothing, which fails the condition.
 * @param passed   whether the run met the condition.
 */
public record SwarmAssertion(String name, String operator, double limit, double actual, boolean passed)
{
    /**
     * @return a condition that {@code actual} is at most {@code limit}.
     */
    public static SwarmAssertion atMost(final String name, final double limit, final double actual)
    {
        return new SwarmAssertion(name, "<=", limit, actual, actual <= limit);
    }

    /**
     * @return a condition that {@code actual} is at least {@code limit}.
     */
    public static SwarmAssertion atLeast(final String name, final double limit, final double actual)
    {
        return new SwarmAssertion(name, ">=", limit, actual, actual >= limit);
    }
}
